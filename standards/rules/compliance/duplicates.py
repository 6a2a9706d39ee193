"""Duplicated or unnecessary certificates.

Compliance review rule 6: the same material must not be asked for twice, two
materials must not prove the same fact, and what the government itself issues
should come by data sharing. Only the first is certain; the others are
judgements for the reviewer and so advisory.
"""

from __future__ import annotations

from collections.abc import Iterator
from difflib import SequenceMatcher

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..findings import Severity
from ..messages import fmt
from ..text import normalise_name
from ..view import Row, View, codes, describe

# Characters that change a name's wording but not what it names: 有效的营业执照 is
# 营业执照, 身份证明 is 身份证. A name differing by other characters (道路旅客运输
# 班线经营申请表 against 道路旅客运输经营申请表) is another material.
FILLER = set("的之有效相关证明件书及和与或者本人份个")
MAX_FILLER = 3
GOVERNMENT_ISSUED = "20"  # source_channel 政府部门核发


def _same_process(a: Row, b: Row) -> bool:
    """Both asked for in one process (a material without processes counts for all)."""
    first, second = codes(a.get("E05.26")), codes(b.get("E05.26"))
    return not first or not second or bool(first & second)


def near_same(first: str, second: str) -> bool:
    """Whether two normalised names differ only by a few filler characters."""
    differing = ""
    for op, a1, a2, b1, b2 in SequenceMatcher(None, first, second).get_opcodes():
        if op != "equal":
            differing += first[a1:a2] + second[b1:b2]
    return 0 < len(differing) <= MAX_FILLER and set(differing) <= FILLER


@rule(
    "C07",
    _("No material is asked for twice"),
    codes=["E05.01", "E05.26"],
    reference="compliance review rule 6",
)
def no_material_twice(view: View) -> Iterator[Issue]:
    earlier: list[tuple[Row, str]] = []
    for row in view.rows("material"):
        name = normalise_name(row.get("E05.01") or "")
        if not name:
            continue
        for other, other_name in earlier:
            if not _same_process(row, other):
                continue
            if name == other_name:
                severity = Severity.BLOCKING
                message = _(
                    "The material “%(material)s” is asked for twice: “%(other)s” is the same "
                    "material. Keep one row (use “Original and copy” when both are needed)."
                )
            elif near_same(name, other_name):
                severity = Severity.ADVISORY
                message = _(
                    "The material “%(material)s” looks like “%(other)s”. If they are the same "
                    "material, keep one row."
                )
            else:
                continue
            yield issue(
                fmt(message, material=describe("material", row), other=describe("material", other)),
                "E05.01",
                row=row,
                severity=severity,
            )
            break
        earlier.append((row, name))


@rule(
    "C08",
    _("No two materials prove exactly the same conditions"),
    codes=["E05.01", "E04.08"],
    severity=Severity.ADVISORY,
    reference="compliance review rule 6",
)
def no_two_materials_prove_the_same(view: View) -> Iterator[Issue]:
    proves: dict[str, list[Row]] = {}
    for condition in view.rows("condition"):
        for material in view.refs(condition, "E04.08"):
            proves.setdefault(material["row_id"], []).append(condition)
    by_conditions: dict[frozenset[str], list[Row]] = {}
    for material in view.rows("material"):
        conditions = frozenset(c["row_id"] for c in proves.get(material["row_id"], []))
        if conditions:
            by_conditions.setdefault(conditions, []).append(material)
    for materials in by_conditions.values():
        first, *others = materials
        proved = proves[first["row_id"]]
        for material in others:
            yield issue(
                fmt(
                    _(
                        "The materials “%(material)s” and “%(other)s” prove exactly the same "
                        "conditions (%(conditions)s). Two materials must not prove the same fact: "
                        "check whether both are needed."
                    ),
                    material=describe("material", material),
                    other=describe("material", first),
                    conditions=[describe("condition", c) for c in proved],
                ),
                "E05.01",
                "E04.08",
                row=material,
            )


@rule(
    "C09",
    _("Certificates the government issues come by data sharing"),
    codes=["E05.05", "E05.07", "E05.19"],
    severity=Severity.ADVISORY,
    reference="compliance review rule 6",
)
def government_certificates_are_shared(view: View) -> Iterator[Issue]:
    for row in view.rows("material"):
        if row.get("E05.05") == GOVERNMENT_ISSUED and row.get("E05.19") is not True:
            yield issue(
                fmt(
                    _(
                        "The material “%(material)s” is issued by a government department "
                        "(%(agency)s), yet the applicant has to hand it in. Obtain it by data "
                        "sharing (Exempt via data sharing), or note why that is not possible."
                    ),
                    material=describe("material", row),
                    agency=row.get("E05.07") or "—",
                ),
                "E05.19",
                "E05.05",
                row=row,
            )
