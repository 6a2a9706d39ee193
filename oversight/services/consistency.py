"""Cross-item consistency checks over the published versions in a scope.

Three checks, each a function returning findings with what is needed to link
to the items concerned:

- the same material named differently across items of one department;
- the same legal article cited as the basis of different statutory time limits;
- items the catalogue says are exercised at a level where no standard has
  been published (see `dashboard.uncovered_items`).

Content rows of published versions never change, so they are read from the
content tables (one query per check) rather than from each snapshot's JSON.
Name normalisation needs Python (regular expressions over Chinese text); it
runs over the names only, grouped afterwards.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from oversight.scope import Scope
from oversight.services.dashboard import LEVELS, uncovered_items
from standards.changes.durations import WORKING_DAYS
from standards.models import ApprovalItem, Region
from standards.models.elements import Material, TimeLimit
from standards.models.standard import VersionState


@dataclass(frozen=True)
class ItemRef:
    """A published standard, enough to name it and link to its public page."""

    item_name: str
    basic_code: str
    department_code: str
    department_name: str
    number: int


def _ref(row: dict[str, Any], prefix: str = "version__") -> ItemRef:
    return ItemRef(
        item_name=row[f"{prefix}standard__item__name"],
        basic_code=row[f"{prefix}standard__item__basic_code"],
        department_code=row[f"{prefix}standard__department__code"],
        department_name=row[f"{prefix}standard__department__name"],
        number=row[f"{prefix}number"],
    )


def _ref_fields(prefix: str = "version__") -> list[str]:
    return [
        f"{prefix}standard__item__name",
        f"{prefix}standard__item__basic_code",
        f"{prefix}standard__department__code",
        f"{prefix}standard__department__name",
        f"{prefix}number",
    ]


# --- material names ---------------------------------------------------------------

_BRACKETS = re.compile(r"[《》〈〉<>（）()【】\[\]〔〕{}「」『』\"'“”‘’]")
_SPACES = re.compile(r"\s+")
# Wording that says which copy to bring, not which document: "原件及复印件" etc.
_COPY_SUFFIX = re.compile(r"(?:原件(?:及|和|与|或)?)?(?:复印件|原件|副本|正本)$")


def normalise_material(name: str) -> str:
    """The material a name designates: 《》, brackets, spaces and copy suffixes removed."""
    text = unicodedata.normalize("NFKC", name)
    text = _SPACES.sub("", _BRACKETS.sub("", text)).lower()
    previous = None
    while previous != text:
        previous, text = text, _COPY_SUFFIX.sub("", text)
    return text


@dataclass(frozen=True)
class MaterialGroup:
    department_name: str
    normalised: str
    names: dict[str, list[ItemRef]]  # original name -> the items using it


def material_name_variants(scope: Scope) -> list[MaterialGroup]:
    """Groups of differently written names of one material within a department."""
    rows = (
        Material.objects.filter(
            scope.standards("version__standard__"), version__state=VersionState.PUBLISHED
        )
        .exclude(name="")
        .values("name", *_ref_fields())
        .order_by()
        .distinct()
    )
    groups: dict[tuple[str, str], dict[str, set[ItemRef]]] = defaultdict(lambda: defaultdict(set))
    for row in rows:
        key = (row["version__standard__department__name"], normalise_material(row["name"]))
        groups[key][row["name"]].add(_ref(row))
    found = [
        MaterialGroup(
            department, normalised, {n: sorted(refs, key=_order) for n, refs in names.items()}
        )
        for (department, normalised), names in groups.items()
        if len(names) > 1
    ]
    return sorted(found, key=lambda g: (g.department_name, g.normalised))


def _order(ref: ItemRef) -> tuple[str, str]:
    return (ref.basic_code, ref.department_code)


# --- articles cited for different time limits ---------------------------------------

_DIGITS = {c: i for i, c in enumerate("零一二三四五六七八九")} | {"两": 2, "〇": 0}
_UNITS = {"十": 10, "百": 100, "千": 1000}
_CHINESE_NUMBER = re.compile(r"[零〇一二两三四五六七八九十百千]+")


def _chinese_to_int(text: str) -> int:
    total, digit = 0, 0
    for char in text:
        if char in _DIGITS:
            digit = _DIGITS[char]
        else:
            total += (digit or 1) * _UNITS[char]
            digit = 0
    return total + digit


def normalise_law(name: str) -> str:
    text = unicodedata.normalize("NFKC", name)
    return _SPACES.sub("", _BRACKETS.sub("", text))


def normalise_article(article: str) -> str:
    """第四十二条 and 第42条 are the same article."""
    text = _SPACES.sub("", unicodedata.normalize("NFKC", article))
    return _CHINESE_NUMBER.sub(lambda m: str(_chinese_to_int(m.group())), text)


@dataclass(frozen=True)
class ArticleFinding:
    law_name: str
    article: str
    limits: dict[str, list[ItemRef]]  # the limit as written ("20 工作日") -> items


def article_limit_conflicts(scope: Scope) -> list[ArticleFinding]:
    """Articles named as the basis of statutory limits that differ once in working days."""
    from standards.registry import REGISTRY

    units = {c.code: c.label_zh for c in REGISTRY.codelist("time_unit")}
    through = TimeLimit.statutory_limit_basis.through
    rows = (
        through.objects.filter(
            timelimit__version__state=VersionState.PUBLISHED,
            timelimit__statutory_limit__isnull=False,
        )
        .filter(scope.standards("timelimit__version__standard__"))
        .values(
            "legalbasis__law_name",
            "legalbasis__article_number",
            "timelimit__statutory_limit",
            "timelimit__statutory_limit_unit",
            *_ref_fields("timelimit__version__"),
        )
        .order_by()
    )
    cited: dict[tuple[str, str], dict[Fraction, dict[str, set[ItemRef]]]] = defaultdict(
        lambda: defaultdict(lambda: defaultdict(set))
    )
    for row in rows:
        law, article = row["legalbasis__law_name"], row["legalbasis__article_number"]
        unit = row["timelimit__statutory_limit_unit"]
        factor = WORKING_DAYS.get(("time_unit", unit))
        if not law or not article or factor is None:
            continue
        number = row["timelimit__statutory_limit"]
        key = (normalise_law(law), normalise_article(article))
        written = f"{number} {units.get(unit, unit)}"
        cited[key][number * factor][written].add(_ref(row, "timelimit__version__"))
    found = []
    for (law, article), by_days in cited.items():
        if len(by_days) > 1:
            limits: dict[str, list[ItemRef]] = {}
            for written_refs in by_days.values():
                for written, refs in written_refs.items():
                    limits[written] = sorted(refs, key=_order)
            found.append(ArticleFinding(f"《{law}》", article, limits))
    return sorted(found, key=lambda f: (f.law_name, f.article))


# --- levels without a published standard --------------------------------------------


@dataclass(frozen=True)
class UncoveredLevel:
    level: str
    label: str
    items: list[ApprovalItem]


def uncovered_levels(scope: Scope, limit: int = 200) -> list[UncoveredLevel]:
    """Per level, items exercised there without a published standard (one query per level)."""
    found = []
    for level in LEVELS:
        items = list(
            uncovered_items(scope, level)
            .select_related("department")
            .order_by("basic_code")[:limit]
        )
        found.append(UncoveredLevel(level, str(Region.Level(level).label), items))
    return found
