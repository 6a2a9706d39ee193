"""The differences between two contents, for people: by section, group and row.

`standards.diff` says which field of which row changed; this module turns
that into labelled lines ("承诺办结时限: 20 个工作日 → 10 个工作日") with
durations joined to their units and rows and references shown by name.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass
from typing import Any

from standards.diff import Change, ChangeKind, diff_content
from standards.registry import REGISTRY, FieldType, Group, Section

from .durations import duration_pairs, format_duration
from .values import Content, RowNames, display, is_empty, row_name, same_references


@dataclass(frozen=True)
class FieldChange:
    code: str
    label: str
    before: str
    after: str


@dataclass(frozen=True)
class RowChange:
    """One row of a repeating group that was added, removed, changed or moved."""

    kind: ChangeKind
    row_id: str
    name: str
    # For changed rows: what changed; for added rows: what they hold.
    fields: tuple[FieldChange, ...] = ()
    # 1-based places among the rows kept in both versions, when the row moved.
    moved: tuple[int, int] | None = None


@dataclass(frozen=True)
class GroupChanges:
    group: Group
    label: str
    fields: tuple[FieldChange, ...] = ()
    rows: tuple[RowChange, ...] = ()


@dataclass(frozen=True)
class SectionChanges:
    section: Section
    label: str
    groups: tuple[GroupChanges, ...]


def group_label(group: Group) -> str:
    return str(group.model._meta.verbose_name)


def readable_diff(before: Content, after: Content) -> list[SectionChanges]:
    """What changed from `before` to `after` (snapshot contents), section by section."""
    return readable_changes(diff_content(dict(before), dict(after)), before, after)


def readable_changes(
    changes: list[Change], before: Content, after: Content
) -> list[SectionChanges]:
    names_before, names_after = RowNames.of(before), RowNames.of(after)
    by_group: dict[str, list[Change]] = {}
    for change in changes:
        by_group.setdefault(change.group, []).append(change)
    sections = []
    for section in REGISTRY.sections:
        groups = []
        for group in section.groups:
            if group.name not in by_group:
                continue
            old, new = before.get(group.name), after.get(group.name)
            if group.repeats:
                rows = _row_changes(
                    group, by_group[group.name], old or [], new or [], names_before, names_after
                )
                entry = GroupChanges(group, group_label(group), rows=rows)
            else:
                codes = {c.code for c in by_group[group.name] if c.code}
                fields = describe_fields(
                    group, codes, old or {}, new or {}, names_before, names_after
                )
                entry = GroupChanges(group, group_label(group), fields=fields)
            if entry.fields or entry.rows:
                groups.append(entry)
        if groups:
            sections.append(SectionChanges(section, str(section.label), tuple(groups)))
    return sections


def describe_fields(
    group: Group,
    codes: Collection[str],
    old: Mapping[str, Any],
    new: Mapping[str, Any],
    names_before: RowNames,
    names_after: RowNames,
) -> tuple[FieldChange, ...]:
    """The changed fields `codes` of one row (or single group), in registry order."""
    pairs = duration_pairs(group)
    units = {unit.code for unit in pairs.values()}
    lines = []
    for field in group.fields:
        if field.code in units:
            continue  # shown with its duration
        unit = pairs.get(field.code)
        if unit is not None:
            if field.code in codes or unit.code in codes:
                before = format_duration(old.get(field.code), unit, old.get(unit.code))
                after = format_duration(new.get(field.code), unit, new.get(unit.code))
                lines.append(FieldChange(field.code, str(field.label), before, after))
            continue
        if field.code not in codes:
            continue
        if field.type is FieldType.REF and same_references(
            old.get(field.code), new.get(field.code)
        ):
            continue
        before = display(field, old.get(field.code), names_before)
        after = display(field, new.get(field.code), names_after)
        lines.append(FieldChange(field.code, str(field.label), before, after))
    return tuple(lines)


def filled_fields(group: Group, row: Mapping[str, Any], names: RowNames) -> tuple[FieldChange, ...]:
    """What a new row holds, as changes from nothing."""
    codes = [f.code for f in group.fields if not is_empty(row.get(f.code))]
    return describe_fields(group, codes, {}, row, names, names)


def _row_changes(
    group: Group,
    changes: list[Change],
    old: list[dict[str, Any]],
    new: list[dict[str, Any]],
    names_before: RowNames,
    names_after: RowNames,
) -> tuple[RowChange, ...]:
    old_rows = {row["row_id"]: (index, row) for index, row in enumerate(old)}
    new_rows = {row["row_id"]: (index, row) for index, row in enumerate(new)}
    changed: dict[str, set[str]] = {}
    moved: dict[str, tuple[int, int]] = {}
    added, removed = set(), set()
    for change in changes:
        row_id = str(change.row_id)
        match change.kind:
            case ChangeKind.ADDED:
                added.add(row_id)
            case ChangeKind.REMOVED:
                removed.add(row_id)
            case ChangeKind.MOVED:
                moved[row_id] = (change.before + 1, change.after + 1)
            case ChangeKind.CHANGED:
                changed.setdefault(row_id, set()).add(str(change.code))
    rows = []
    # Rows in their new order, then the removed ones in their old order.
    for row_id, (index, row) in new_rows.items():
        name = row_name(group, row, index)
        if row_id in added:
            fields = filled_fields(group, row, names_after)
            rows.append(RowChange(ChangeKind.ADDED, row_id, name, fields))
            continue
        fields = ()
        if row_id in changed:
            _index, before_row = old_rows[row_id]
            fields = describe_fields(
                group, changed[row_id], before_row, row, names_before, names_after
            )
        if fields:
            rows.append(RowChange(ChangeKind.CHANGED, row_id, name, fields, moved.get(row_id)))
        elif row_id in moved:
            rows.append(RowChange(ChangeKind.MOVED, row_id, name, moved=moved[row_id]))
    for row_id, (index, row) in old_rows.items():
        if row_id in removed:
            rows.append(RowChange(ChangeKind.REMOVED, row_id, row_name(group, row, index)))
    return tuple(rows)
