"""Mutating a sample snapshot for a test case, and the case records themselves."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from standards.registry import REGISTRY, FieldType
from standards.rules import Severity

from .samples import row_id, sample

CONSTRUCTION = "construction_permit"
DRUG = "drug_retail_licence"
FOOD = "food_business_licence"
SCHOOL = "private_school_establishment"
ROAD = "road_passenger_transport"


class Edit:
    """A deep copy of one sample's snapshot with chainable changes."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.snapshot = sample(name)
        self.content = self.snapshot["content"]

    def rid(self, group: str, key: str) -> str:
        return row_id(self.name, group, key)

    def value(self, code: str) -> Any:
        return self.content[REGISTRY[code].group][code]

    def set(self, code: str, value: Any) -> Edit:
        """Set a field of a single-valued group."""
        group = REGISTRY[code].group
        assert not REGISTRY.group(group).repeats, code
        self.content[group][code] = value
        return self

    def row(self, group: str, key: str) -> dict[str, Any]:
        wanted = self.rid(group, key)
        return next(r for r in self.content[group] if r["row_id"] == wanted)

    def change(self, group: str, key: str, values: dict[str, Any]) -> Edit:
        row = self.row(group, key)
        assert set(values) <= set(row), values
        row.update(values)
        return self

    def add(self, group: str, key: str, values: dict[str, Any]) -> Edit:
        """Append a row (fields not given are empty)."""
        empty: dict[str, Any] = {
            f.code: [] if f.type in (FieldType.REF, FieldType.MULTICHOICE) else None
            for f in REGISTRY.group(group).fields
        }
        assert set(values) <= set(empty), values
        self.content[group].append({"row_id": self.rid(group, key), **empty, **values})
        return self

    def drop(
        self, group: str, *keys: str, where: Callable[[dict[str, Any]], bool] | None = None
    ) -> Edit:
        """Remove the rows named by key, those matching `where`, or (neither given) all."""
        ids = {self.rid(group, key) for key in keys}
        self.content[group] = [
            r
            for r in self.content[group]
            if not (
                r["row_id"] in ids
                or (where is not None and where(r))
                or (not keys and where is None)
            )
        ]
        return self


def unchanged(edit: Edit) -> Edit:
    return edit


@dataclass(frozen=True)
class Fails:
    """`change` applied to `sample` makes rule `rule_id` report a finding like this one."""

    rule_id: str
    says: str
    sample: str
    change: Callable[[Edit], object]
    codes: tuple[str, ...]
    row: tuple[str, str] | None = None  # (group, row key)
    severity: Severity = Severity.BLOCKING


@dataclass(frozen=True)
class Passes:
    """After `change`, rule `rule_id` finds nothing in `sample`."""

    rule_id: str
    says: str
    sample: str
    change: Callable[[Edit], object] = field(default=unchanged)
