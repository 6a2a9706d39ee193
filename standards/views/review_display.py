"""Snapshot content as a reviewer reads it: values as text, rows by name, changes as lines.

Works on snapshot `content` dicts (a round's `submitted_content` or a live
snapshot's), never on the database.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import gettext as _

from standards.diff import Change, ChangeKind
from standards.registry import REGISTRY, Field, FieldType
from standards.rules.view import describe

Content = dict[str, Any]
Row = dict[str, Any]

LIST_SEPARATOR = "、"


def is_empty(value: Any) -> bool:
    return value in (None, "", [])


def rows_of(content: Content, group: str) -> list[Row]:
    rows = content.get(group)
    return list(rows) if isinstance(rows, list) else []


def row_index(content: Content, group: str, row_id: str) -> int | None:
    """The row's place (from 0) in its group, or None when it is not there."""
    for index, row in enumerate(rows_of(content, group)):
        if row.get("row_id") == row_id:
            return index
    return None


def row_name(content: Content, group: str, row_id: str) -> str:
    """ "2. 营业执照": the row's number and the name a department officer knows it by."""
    index = row_index(content, group, row_id)
    if index is None:
        return f"#{row_id[:8]}"
    return f"{index + 1}. {describe(group, rows_of(content, group)[index])}"


def value_text(field: Field, value: Any, content: Content) -> str:
    """A value as text: code labels, 是/否, lists joined, references by the rows' names."""
    if is_empty(value):
        return _("(empty)")
    match field.type:
        case FieldType.CHOICE:
            return _code_label(field, value)
        case FieldType.MULTICHOICE:
            return LIST_SEPARATOR.join(_code_label(field, v) for v in value)
        case FieldType.BOOLEAN:
            return _("Yes") if value else _("No")
        case FieldType.REF:
            return LIST_SEPARATOR.join(row_name(content, field.ref_group, v) for v in value)
        case FieldType.FILE:
            return PurePosixPath(str(value)).name
    return str(value)


def _code_label(field: Field, code: Any) -> str:
    try:
        return str(REGISTRY.codelist(field.codelist).label_for(str(code)))
    except KeyError:
        return str(code)


def anchor_id(code: str, row_id: str = "") -> str:
    """The HTML id of a field (of a row) on the review screen."""
    return f"f-{code}-{row_id}" if row_id else f"f-{code}"


@dataclass(frozen=True)
class ChangeLine:
    """One change, readable: `label (row): before → after`."""

    kind: str
    group_label: str
    label: str
    row: str
    before: str
    after: str
    anchor: str


def change_lines(changes: list[Change], before: Content, after: Content) -> list[ChangeLine]:
    return [_line(change, before, after) for change in changes]


def _line(change: Change, before: Content, after: Content) -> ChangeLine:
    group = REGISTRY.group(change.group)
    group_label = str(group.model._meta.verbose_name)
    row = ""
    if change.row_id:
        in_after = row_index(after, change.group, change.row_id) is not None
        row = row_name(after if in_after else before, change.group, change.row_id)
    if change.kind == ChangeKind.CHANGED and change.code:
        field = REGISTRY[change.code]
        return ChangeLine(
            kind=change.kind,
            group_label=group_label,
            label=str(field.label),
            row=row,
            before=value_text(field, change.before, before),
            after=value_text(field, change.after, after),
            anchor=anchor_id(change.code, change.row_id or ""),
        )
    moved = change.kind == ChangeKind.MOVED
    return ChangeLine(
        kind=change.kind,
        group_label=group_label,
        label=group_label,
        row=row,
        before=str(change.before + 1) if moved else "",
        after=str(change.after + 1) if moved else "",
        anchor=f"r-{change.row_id}" if change.kind != ChangeKind.REMOVED else "",
    )


def changes_at(changes: list[Change], code: str, row_id: str = "") -> list[Change]:
    """The changes of one field (of one row), and the removal of that row."""
    row = row_id or None
    return [
        change
        for change in changes
        if (change.code == code and change.row_id == row)
        or (row is not None and change.kind == ChangeKind.REMOVED and change.row_id == row)
    ]
