"""Which part of a published snapshot an export shows.

Anonymous users get the service guide's view of a standard: only registry
fields whose audience is `guide` or `both`. Manual-only fields (internal
review standards, post duties ...) never leave the building, and neither does
a group that holds no guide field at all (posts). A reference into such a
group is dropped too, as the guide renderer drops it: its row ids would point
at rows the reader cannot see.
"""

from __future__ import annotations

import copy
from enum import StrEnum
from typing import Any

from standards.registry import REGISTRY, FieldType, Group


class Audience(StrEnum):
    PUBLIC = "public"  # guide-audience fields only
    FULL = "full"  # everything in the snapshot (staff of the department, reviewers)


def visible_groups() -> list[Group]:
    """Groups with at least one guide field, in registry order."""
    return [g for g in REGISTRY.groups.values() if any(f.in_guide for f in g.fields)]


def public_codes(group: Group) -> list[str]:
    """The group's field codes a public export may show, in registry order."""
    shown = {g.name for g in visible_groups()}
    return [
        f.code
        for f in group.fields
        if f.in_guide and (f.type is not FieldType.REF or f.ref_group in shown)
    ]


def for_audience(data: dict[str, Any], audience: Audience) -> dict[str, Any]:
    """The snapshot as `audience` may see it (a copy; the stored snapshot is never touched)."""
    if audience is Audience.FULL:
        return copy.deepcopy(data)
    content = data.get("content") or {}
    filtered: dict[str, Any] = {}
    for group in visible_groups():
        codes = public_codes(group)
        value = content.get(group.name)
        if group.repeats:
            filtered[group.name] = [
                {"row_id": row.get("row_id"), **{c: copy.deepcopy(row.get(c)) for c in codes}}
                for row in value or []
            ]
        else:
            filtered[group.name] = {c: copy.deepcopy((value or {}).get(c)) for c in codes}
    return {**copy.deepcopy({k: v for k, v in data.items() if k != "content"}), "content": filtered}
