"""Read access to a snapshot for the rules, and plain names for its rows.

Rules never touch the database: they read the snapshot dict (see
`standards/snapshot.py`). `View` adds the lookups every rule needs (a field's
value, a group's rows, the rows a reference points at) and tolerates the gaps
of a draft: missing groups read as empty.
"""

from __future__ import annotations

from functools import cached_property
from typing import Any

from standards.registry import REGISTRY
from standards.snapshot import Snapshot

from .findings import Text
from .messages import code_label, join
from .text import excerpt

Row = dict[str, Any]


def filled(value: Any) -> bool:
    """Filled in the sense of `standards.completeness`: not None, "" or []."""
    return value not in (None, "", [])


def codes(value: Any) -> set[str]:
    """The codes of a choice or multichoice value, as a set of strings."""
    if value is None:
        return set()
    if isinstance(value, list | tuple | set):
        return {str(v) for v in value}
    return {str(value)}


class View:
    def __init__(self, snapshot: Snapshot) -> None:
        self.snapshot = snapshot
        self.content: dict[str, Any] = snapshot.get("content") or {}

    def value(self, code: str) -> Any:
        """The value of a field of a single-valued group."""
        field = REGISTRY[code]
        if field.repeats:
            raise ValueError(f"{code} belongs to a repeating group; read it from rows()")
        return (self.content.get(field.group) or {}).get(code)

    def rows(self, group: str) -> list[Row]:
        return list(self.content.get(group) or [])

    @cached_property
    def _index(self) -> dict[str, dict[str, Row]]:
        return {
            name: {row["row_id"]: row for row in self.rows(name)}
            for name, group in REGISTRY.groups.items()
            if group.repeats
        }

    def row(self, group: str, row_id: str) -> Row | None:
        return self._index.get(group, {}).get(row_id)

    def refs(self, row: Row, code: str) -> list[Row]:
        """The rows a reference field of `row` points at (unknown ids are skipped)."""
        target = REGISTRY[code].ref_group
        found = (self.row(target, row_id) for row_id in row.get(code) or [])
        return [r for r in found if r is not None]

    def ref_values(self, code: str) -> list[Row]:
        """The rows a reference field of a single-valued group points at."""
        return self.refs({code: self.value(code)}, code)

    @property
    def item_type(self) -> str | None:
        """B00.04, falling back to the catalogue's item type when it is not entered."""
        entered = self.value("B00.04")
        return str(entered) if entered else self.catalogue_item_type

    @property
    def catalogue_item_type(self) -> str | None:
        item = (self.snapshot.get("standard") or {}).get("item") or {}
        return item.get("item_type") or None

    def applicable_processes(self) -> list[Row]:
        """The other-process (PX) rows that apply; their other fields matter only then."""
        return [row for row in self.rows("other_process") if row.get("PX.02") is True]


def process_label(code: Any) -> Text:
    """ "P10 延续": a process code with its name."""
    return join((code, code_label("process_code", code)))


def describe(group: str, row: Row) -> Text:
    """How a department officer recognises a row: its name, or the start of its text."""
    match group:
        case "legal_basis":
            return f"{row.get('E02.02') or ''}{row.get('E02.08') or ''}" or _position(group, row)
        case "condition":
            return excerpt(row.get("E04.02")) or _position(group, row)
        case "material":
            return row.get("E05.01") or _position(group, row)
        case "special_procedure":
            kind = row.get("E06.11")
            return code_label("special_procedure_kind", kind) if kind else _position(group, row)
        case "fee_item":
            return row.get("E08.02") or _position(group, row)
        case "intermediary_service":
            return row.get("E10.02") or _position(group, row)
        case "post":
            return row.get("E11.01") or _position(group, row)
        case "faq":
            return excerpt(row.get("E12.20")) or _position(group, row)
        case "document":
            return row.get("E13.01") or _position(group, row)
        case "other_process":
            code = row.get("PX.01")
            return process_label(code) if code else _position(group, row)
        case "link_benchmark":
            code, name = row.get("PL.01"), row.get("PL.02")
            if code and name:
                return join((process_label(code), "·", name))
            return name or _position(group, row)
    return _position(group, row)


def _position(group: str, row: Row) -> str:
    # A row without a name yet: its short id is all there is to go by.
    return f"#{str(row.get('row_id', ''))[:8]}"
