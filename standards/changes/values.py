"""Snapshot values as a reader sees them: code labels, 是/否, rows by name.

Works on snapshot-shaped data (values keyed by field code, rows with a
`row_id`), whether it comes from a stored snapshot, a live snapshot or the
edit history.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import PurePosixPath
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from standards.registry import REGISTRY, Field, FieldType, Group

NAME_LENGTH = 40
NAMING_TYPES = (FieldType.TEXT, FieldType.LONGTEXT)

Content = Mapping[str, Any]
Row = Mapping[str, Any]


def is_empty(value: Any) -> bool:
    """Empty the way `standards.diff` sees it: None, "" and [] are all nothing."""
    return value is None or value == "" or value == []


def joined(items: Iterable[str]) -> str:
    separator = ", " if (get_language() or "zh-hans").startswith("en") else "、"
    return separator.join(items)


def code_label(field: Field, code: Any) -> str:
    try:
        return str(REGISTRY.codelist(field.codelist).label_for(code))
    except KeyError:
        # A code retired from the list since the version was written.
        return str(code)


def shorten(text: str) -> str:
    return text if len(text) <= NAME_LENGTH else f"{text[:NAME_LENGTH]}…"


def row_name(group: Group, row: Row, index: int | None = None) -> str:
    """A row's name: its first filled text field (its first choice when it has no text)."""
    for field in group.fields:
        if field.type in NAMING_TYPES and not is_empty(row.get(field.code)):
            return shorten(str(row[field.code]))
    for field in group.fields:
        if field.type is FieldType.CHOICE and not is_empty(row.get(field.code)):
            return code_label(field, row[field.code])
    if index is not None:
        return _("row %(number)s") % {"number": index + 1}
    return _("(unnamed row)")


class RowNames:
    """The names of rows by group and row id, so that references read as names."""

    def __init__(self) -> None:
        self._names: dict[tuple[str, str], str] = {}

    @classmethod
    def of(cls, *contents: Content) -> RowNames:
        """Names from snapshot contents; a later content's name wins."""
        names = cls()
        for content in contents:
            for group in REGISTRY.groups.values():
                if group.repeats:
                    for index, row in enumerate(content.get(group.name) or []):
                        names.add(group.name, str(row["row_id"]), row_name(group, row, index))
        return names

    def add(self, group: str, row_id: str, name: str) -> None:
        self._names[(group, row_id)] = name

    def name(self, group: str, row_id: str) -> str:
        return self._names.get((group, row_id), _("(deleted row)"))


def display(field: Field, value: Any, names: RowNames) -> str:
    """One field's value as text, in the active language."""
    if is_empty(value):
        return _("(empty)")
    match field.type:
        case FieldType.CHOICE:
            return code_label(field, value)
        case FieldType.MULTICHOICE:
            return joined(code_label(field, code) for code in value)
        case FieldType.BOOLEAN:
            return _("Yes") if value else _("No")
        case FieldType.REF:
            return joined(names.name(field.ref_group, str(row_id)) for row_id in value)
        case FieldType.FILE:
            return PurePosixPath(str(value)).name
    return str(value)


def same_references(before: Any, after: Any) -> bool:
    """Whether two reference lists name the same rows.

    A snapshot lists references in the order of their target rows, so moving a
    target row reorders every list that names it; that is not a change of the
    reference (the move itself is shown on the target's group).
    """
    return set(before or []) == set(after or [])
