"""Structured differences between two contents (snapshot `content` dicts).

Driven by the registry: single-valued groups compare field by field; repeating
groups match rows by `row_id`, so a row edited in place is "changed", not
"removed and added", and a row that moved is "moved".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from .registry import REGISTRY, Field, FieldType, Group


class ChangeKind(StrEnum):
    CHANGED = "changed"
    ADDED = "added"
    REMOVED = "removed"
    MOVED = "moved"


@dataclass(frozen=True)
class Change:
    kind: ChangeKind
    group: str
    code: str | None = None  # the field, for CHANGED
    row_id: str | None = None  # the row, for repeating groups
    before: Any = None
    after: Any = None


def diff_content(
    before: dict[str, Any], after: dict[str, Any], groups: list[Group] | None = None
) -> list[Change]:
    changes: list[Change] = []
    for group in list(REGISTRY.groups.values()) if groups is None else groups:
        old, new = before.get(group.name), after.get(group.name)
        if group.repeats:
            changes += _diff_rows(group, old or [], new or [])
        else:
            changes += _diff_fields(group, old or {}, new or {}, row_id=None)
    return changes


def _diff_fields(
    group: Group, old: dict[str, Any], new: dict[str, Any], *, row_id: str | None
) -> list[Change]:
    return [
        Change(ChangeKind.CHANGED, group.name, f.code, row_id, old.get(f.code), new.get(f.code))
        for f in group.fields
        if _comparable(f, old.get(f.code)) != _comparable(f, new.get(f.code))
    ]


def _diff_rows(group: Group, old: list[dict[str, Any]], new: list[dict[str, Any]]) -> list[Change]:
    old_by_id = {row["row_id"]: row for row in old}
    new_by_id = {row["row_id"]: row for row in new}
    changes = [
        Change(ChangeKind.REMOVED, group.name, row_id=row_id, before=row)
        for row_id, row in old_by_id.items()
        if row_id not in new_by_id
    ]
    kept_old_order = [row_id for row_id in old_by_id if row_id in new_by_id]
    kept_new_order = [row_id for row_id in new_by_id if row_id in old_by_id]
    for row_id, row in new_by_id.items():
        if row_id not in old_by_id:
            changes.append(Change(ChangeKind.ADDED, group.name, row_id=row_id, after=row))
            continue
        changes += _diff_fields(group, old_by_id[row_id], row, row_id=row_id)
    if kept_old_order != kept_new_order:
        for row_id in kept_new_order:
            if kept_old_order.index(row_id) != kept_new_order.index(row_id):
                changes.append(
                    Change(
                        ChangeKind.MOVED,
                        group.name,
                        row_id=row_id,
                        before=kept_old_order.index(row_id),
                        after=kept_new_order.index(row_id),
                    )
                )
    return changes


def _comparable(field: Field, value: Any) -> Any:
    """Empty is empty, whether stored as None, "" or []; references are sets.

    A reference lists its target rows in their order, so moving the targets
    reorders the list without changing what is referenced.
    """
    if value in (None, "", []):
        return None
    if field.type is FieldType.REF:
        return frozenset(value)
    return value
