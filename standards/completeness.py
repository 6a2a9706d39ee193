"""Which required fields a snapshot leaves empty, at filing or at publication.

Works on snapshots (see `snapshot.py`) so that a draft's completeness and a
published version's are judged by the same code. Conditional requirements come
from the registry's `required_when` conditions; fields of a repeating group
are required per row, only when rows exist.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .registry import REGISTRY, Field, Group, Stage
from .snapshot import Snapshot


@dataclass(frozen=True)
class Missing:
    code: str
    row_id: str | None = None

    @property
    def field(self) -> Field:
        return REGISTRY[self.code]


def is_filled(value: Any) -> bool:
    return value not in (None, "", [])


def required_fields(data: Snapshot, stage: Stage) -> list[tuple[Missing, bool]]:
    """Every field (per row) required at `stage`, with whether it is filled."""
    content = data["content"]
    found: list[tuple[Missing, bool]] = []
    for name, group in REGISTRY.groups.items():
        if group.repeats:
            for row in content[name]:
                found += _required_in(group, row, content, stage, row["row_id"])
        else:
            found += _required_in(group, content[name], content, stage, None)
    return found


def missing_fields(data: Snapshot, stage: Stage) -> list[Missing]:
    return [item for item, filled in required_fields(data, stage) if not filled]


def completeness(data: Snapshot, stage: Stage = Stage.PUBLISH) -> dict[str, tuple[int, int]]:
    """Per section code: (required fields filled, required fields) — the completeness meter."""
    totals = {section.code: [0, 0] for section in REGISTRY.sections}
    for item, filled in required_fields(data, stage):
        counts = totals[item.field.section]
        counts[0] += int(filled)
        counts[1] += 1
    return {code: (filled, required) for code, (filled, required) in totals.items()}


def _required_in(
    group: Group, values: dict[str, Any], content: dict[str, Any], stage: Stage, row_id: str | None
) -> list[tuple[Missing, bool]]:
    def lookup(code: str, every_row: bool) -> list[Any]:
        other = REGISTRY.group(REGISTRY[code].group)
        if other.name == group.name and group.repeats and not every_row:
            return [values[code]]
        if other.repeats:
            return [row[code] for row in content[other.name]]
        return [content[other.name][code]]

    return [
        (Missing(f.code, row_id), is_filled(values[f.code]))
        for f in group.fields
        if f.required_at(stage) and (f.required_when is None or f.required_when.holds(lookup))
    ]
