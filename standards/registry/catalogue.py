"""The field registry: the 315 information fields and their code lists.

`fields.csv` and `codelists.csv` beside this module are the single source of
truth for what a standard contains. Models declare which registry group they
hold (`registry_group`); forms, completeness, snapshots, the guide, the manual,
diffs and exports read the fields from here instead of listing them again.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property
from pathlib import Path
from typing import Any

from .conditions import Condition, parse
from .i18n import bilingual

DATA_DIR = Path(__file__).resolve().parent
FIELDS_FILE = DATA_DIR / "fields.csv"
CODELISTS_FILE = DATA_DIR / "codelists.csv"
HELP_FILE = DATA_DIR / "help.csv"


class FieldType(StrEnum):
    TEXT = "text"
    LONGTEXT = "longtext"
    CHOICE = "choice"
    MULTICHOICE = "multichoice"
    BOOLEAN = "boolean"
    INTEGER = "integer"
    DURATION = "duration"
    DATE = "date"
    URL = "url"
    EMAIL = "email"
    PHONE = "phone"
    FILE = "file"
    REF = "ref"


class Stage(StrEnum):
    """When a field must be filled (the `required` column)."""

    FILING = "filing"
    PUBLISH = "publish"
    OPTIONAL = "optional"


class Audience(StrEnum):
    GUIDE = "guide"
    MANUAL = "manual"
    BOTH = "both"


TEXT_MAX_LENGTH = 200


@dataclass(frozen=True)
class Code:
    codelist: str
    code: str
    label_zh: str
    label_en: str
    source: str

    @property
    def label(self) -> Any:
        return bilingual(self.label_zh, self.label_en)


@dataclass(frozen=True)
class CodeList:
    name: str
    codes: tuple[Code, ...]

    def __contains__(self, code: object) -> bool:
        return any(c.code == code for c in self.codes)

    def __iter__(self) -> Iterator[Code]:
        return iter(self.codes)

    @property
    def values(self) -> list[str]:
        return [c.code for c in self.codes]

    def label_for(self, code: str) -> Any:
        for c in self.codes:
            if c.code == code:
                return c.label
        raise KeyError(f"{code!r} is not in code list {self.name!r}")

    def choices(self) -> list[tuple[str, Any]]:
        return [(c.code, c.label) for c in self.codes]


@dataclass(frozen=True)
class Field:
    code: str
    section: str
    group: str
    repeats: bool
    name: str
    label_zh: str
    label_en: str
    type: FieldType
    codelist: str
    ref_group: str
    required: Stage
    audience: Audience
    required_when: Condition | None
    source: str
    notes: str
    help_zh: str = ""
    help_en: str = ""

    def __str__(self) -> str:
        return f"{self.code} {self.group}.{self.name}"

    @property
    def help(self) -> Any:
        """Guidance shown beside the input, in the active language."""
        return bilingual(self.help_zh, self.help_en)

    @property
    def label(self) -> Any:
        return bilingual(self.label_zh, self.label_en)

    @property
    def attribute(self) -> str:
        """The model attribute that holds this field (the registry `name`)."""
        return self.name

    @property
    def in_guide(self) -> bool:
        return self.audience in (Audience.GUIDE, Audience.BOTH)

    @property
    def in_manual(self) -> bool:
        return self.audience in (Audience.MANUAL, Audience.BOTH)

    def required_at(self, stage: Stage) -> bool:
        """Whether the field is required by `stage` (filing comes before publish)."""
        if self.required is Stage.OPTIONAL:
            return False
        return stage is Stage.PUBLISH or self.required is Stage.FILING


@dataclass(frozen=True)
class Group:
    name: str
    section: str
    repeats: bool
    fields: tuple[Field, ...]

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    @property
    def model(self) -> Any:
        from .models_map import model_for_group

        return model_for_group(self.name)


@dataclass(frozen=True)
class Section:
    code: str
    label_zh: str
    label_en: str
    groups: tuple[Group, ...] = field(default_factory=tuple)

    @property
    def label(self) -> Any:
        return bilingual(self.label_zh, self.label_en)

    @property
    def fields(self) -> list[Field]:
        return [f for g in self.groups for f in g.fields]


class RegistryError(ValueError):
    """The data files break an invariant of the registry."""


class Registry:
    """The fields, groups, sections and code lists, in catalogue order."""

    def __init__(
        self, fields: list[Field], codelists: dict[str, CodeList], sections: list[Section]
    ):
        self.fields = tuple(fields)
        self.codelists = codelists
        self.sections = tuple(sections)
        self._by_code = {f.code: f for f in fields}

    def __len__(self) -> int:
        return len(self.fields)

    def __iter__(self) -> Iterator[Field]:
        return iter(self.fields)

    def __getitem__(self, code: str) -> Field:
        return self._by_code[code]

    def __contains__(self, code: object) -> bool:
        return code in self._by_code

    def get(self, code: str) -> Field | None:
        """The field with this code, or None (for codes that come from users or old data)."""
        return self._by_code.get(code)

    @cached_property
    def groups(self) -> dict[str, Group]:
        return {g.name: g for s in self.sections for g in s.groups}

    def group(self, name: str) -> Group:
        return self.groups[name]

    def field(self, group: str, name: str) -> Field:
        for f in self.groups[group].fields:
            if f.name == name:
                return f
        raise KeyError(f"No field {name!r} in group {group!r}")

    def codelist(self, name: str) -> CodeList:
        return self.codelists[name]


def load(
    fields_file: Path = FIELDS_FILE,
    codelists_file: Path = CODELISTS_FILE,
    help_file: Path = HELP_FILE,
) -> Registry:
    codelists = _load_codelists(codelists_file)
    fields = _load_fields(fields_file, _load_help(help_file))
    _check(fields, codelists)
    return Registry(fields, codelists, _sections(fields, fields_file))


def _load_codelists(path: Path) -> dict[str, CodeList]:
    grouped: dict[str, list[Code]] = {}
    with path.open(encoding="utf-8", newline="") as handle:
        for row in csv.DictReader(handle):
            grouped.setdefault(row["codelist"], []).append(
                Code(row["codelist"], row["code"], row["label_zh"], row["label_en"], row["source"])
            )
    return {name: CodeList(name, tuple(codes)) for name, codes in grouped.items()}


def _load_help(path: Path) -> dict[str, tuple[str, str]]:
    if not path.exists():
        return {}
    with path.open(encoding="utf-8", newline="") as handle:
        return {row["code"]: (row["help_zh"], row["help_en"]) for row in csv.DictReader(handle)}


def _load_fields(path: Path, help_texts: dict[str, tuple[str, str]]) -> list[Field]:
    with path.open(encoding="utf-8", newline="") as handle:
        return [
            Field(
                code=row["code"],
                section=row["section"],
                group=row["group"],
                repeats=row["group_repeats"] == "yes",
                name=row["name"],
                label_zh=row["label_zh"],
                label_en=row["label_en"],
                type=FieldType(row["type"]),
                codelist=row["codelist"],
                ref_group=row["ref_group"],
                required=Stage(row["required"]),
                audience=Audience(row["audience"]),
                required_when=parse(row["required_when"]) if row["required_when"] else None,
                source=row["source"],
                notes=row["notes"],
                help_zh=help_texts.get(row["code"], ("", ""))[0],
                help_en=help_texts.get(row["code"], ("", ""))[1],
            )
            for row in csv.DictReader(handle)
        ]


def _sections(fields: list[Field], path: Path) -> list[Section]:
    with path.open(encoding="utf-8", newline="") as handle:
        titles = {r["section"]: (r["section_zh"], r["section_en"]) for r in csv.DictReader(handle)}
    order: dict[str, dict[str, list[Field]]] = {}
    for f in fields:
        order.setdefault(f.section, {}).setdefault(f.group, []).append(f)
    return [
        Section(
            code=code,
            label_zh=titles[code][0],
            label_en=titles[code][1],
            groups=tuple(
                Group(name, code, members[0].repeats, tuple(members))
                for name, members in groups.items()
            ),
        )
        for code, groups in order.items()
    ]


def _check(fields: list[Field], codelists: dict[str, CodeList]) -> None:
    codes = [f.code for f in fields]
    if len(set(codes)) != len(codes):
        raise RegistryError("Field codes are not unique")
    names = {(f.group, f.name) for f in fields}
    if len(names) != len(fields):
        raise RegistryError("Field names are not unique within their group")
    groups = {f.group for f in fields}
    known = set(codes)
    for f in fields:
        needs_codelist = f.type in (FieldType.CHOICE, FieldType.MULTICHOICE)
        if needs_codelist != bool(f.codelist) or (f.codelist and f.codelist not in codelists):
            raise RegistryError(f"{f}: code list {f.codelist!r} does not fit type {f.type}")
        if (f.type is FieldType.REF) != bool(f.ref_group) or (
            f.ref_group and f.ref_group not in groups
        ):
            raise RegistryError(f"{f}: ref group {f.ref_group!r} does not fit type {f.type}")
        if f.required_when and not f.required_when.codes <= known:
            raise RegistryError(f"{f}: condition names unknown codes")
