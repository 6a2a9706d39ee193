"""django-simple-history records read as snapshot-shaped values.

Every content model keeps a historical record per save, and each reference
field a table of the targets each record held. Reading is batched: one query
per content model and one UNION over all reference tables, whatever the
number of rows or records.
"""

from __future__ import annotations

import bisect
import datetime
from typing import Any

from django.db import models
from django.db.models import Value

from standards.models import StandardVersion
from standards.registry import REGISTRY, Field, FieldType, Group

# Content written without an editor save (loaders, scripts): records of one
# user this close together are taken as one change.
SAME_SAVE = datetime.timedelta(seconds=10)

# (field code, history_id) -> the target rows' uids
ReferenceHistory = dict[tuple[str, int], list[str]]
# (field code, history_id) -> (target pk, target uid if the target still exists)
Targets = dict[tuple[str, int], list[tuple[int, Any]]]


def load_records(version: StandardVersion) -> dict[str, list[Any]]:
    """The version's historical records by group, each row's in the order written."""
    return {
        name: list(
            group.model.history.filter(version_id=version.pk)
            .select_related("history_user")
            .order_by("id", "history_date", "history_id")
        )
        for name, group in REGISTRY.groups.items()
    }


def record_values(record: Any, group: Group, references: ReferenceHistory) -> dict[str, Any]:
    """A historical record's values shaped like a snapshot row (see standards.snapshot)."""
    values: dict[str, Any] = {}
    for field in group.fields:
        values[field.code] = record_value(record, field, references)
    return values


def record_value(record: Any, field: Field, references: ReferenceHistory) -> Any:
    if field.type is FieldType.REF:
        # Sorted: the history does not keep the targets' order, and the order
        # is not what changed (see values.same_references).
        return sorted(references.get((field.code, record.history_id), []))
    raw = getattr(record, field.attribute)
    match field.type:
        case FieldType.MULTICHOICE:
            order = REGISTRY.codelist(field.codelist).values
            return sorted(
                raw or [], key=lambda code: order.index(code) if code in order else len(order)
            )
        case FieldType.DATE:
            return raw.isoformat() if raw else None
        case FieldType.BOOLEAN | FieldType.INTEGER | FieldType.DURATION:
            return raw
    # Text, and files: the history keeps a file's storage name as text.
    return raw or None


def reference_targets(version: StandardVersion) -> Targets:
    """The references held by each historical record, from one UNION query."""
    queries = []
    for group in REGISTRY.groups.values():
        history_model = group.model.history.model
        for field in group.fields:
            if field.type is FieldType.REF:
                relation = group.model._meta.get_field(field.attribute)
                target = relation.m2m_reverse_field_name()
                table = getattr(history_model, field.attribute).model
                queries.append(
                    table.objects.filter(history__version_id=version.pk).values_list(
                        Value(field.code, output_field=models.CharField()),
                        "history_id",
                        f"{target}_id",
                        f"{target}__uid",
                    )
                )
    found: Targets = {}
    if not queries:
        return found
    union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    for code, history_id, pk, uid in union:
        found.setdefault((code, history_id), []).append((pk, uid))
    return found


class Saves:
    """Tells whether two records were written by the same save.

    An editor save writes its rows, then each changed reference (each a record
    of its own), and ends by raising the version's edit count, which writes a
    record of the version. Content records belong to the first version record
    at or after them; records with none close after them are grouped by time.
    """

    def __init__(self, version: StandardVersion) -> None:
        self.marks = sorted(
            StandardVersion.history.filter(id=version.pk).values_list("history_date", flat=True)
        )

    def mark(self, at: datetime.datetime) -> datetime.datetime | None:
        index = bisect.bisect_left(self.marks, at)
        if index < len(self.marks) and self.marks[index] - at <= SAME_SAVE:
            return self.marks[index]
        return None

    def same(
        self, first: tuple[datetime.datetime, Any], then: tuple[datetime.datetime, Any]
    ) -> bool:
        """Whether (time, user id) `then` belongs to the save that wrote `first`."""
        (first_at, first_user), (at, user) = first, then
        if first_user != user:
            return False
        first_mark, mark = self.mark(first_at), self.mark(at)
        if first_mark is not None or mark is not None:
            return first_mark == mark
        return at - first_at <= SAME_SAVE
