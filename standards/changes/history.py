"""A version's timeline: who changed which field when, and what the workflow did.

Content changes come from django-simple-history: every content model keeps a
historical record per save. Records are read in one query per content model
plus one UNION over the reference history tables, so the cost does not grow
with the number of rows or edits. `diff_against` is not used: it queries the
reference history of every pair of records. Instead records are turned into
snapshot-shaped values and compared with `standards.diff`, which also lets an
edit of a row copied from the previous version (copies are bulk-created, so
they have no record of their own) be compared with that version's content.
"""

from __future__ import annotations

import datetime
import itertools
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Prefetch
from django.utils.translation import gettext as _

from standards.diff import ChangeKind, diff_content
from standards.models import ReviewComment, ReviewRound, StandardVersion, TransitionLog
from standards.registry import REGISTRY, Group

from .readable import FieldChange, describe_fields, filled_fields, group_label
from .records import (
    ReferenceHistory,
    Saves,
    Targets,
    load_records,
    record_values,
    reference_targets,
)
from .values import RowNames, row_name
from .versions import version_contents


@dataclass(frozen=True)
class RowEdit:
    at: datetime.datetime
    user: Any
    group: Group
    row_id: str
    name: str
    kind: ChangeKind  # ADDED, CHANGED or REMOVED
    fields: tuple[FieldChange, ...]


@dataclass(frozen=True)
class GroupEdits:
    label: str
    repeats: bool
    rows: tuple[RowEdit, ...]


@dataclass(frozen=True)
class EditEvent:
    at: datetime.datetime
    who: str
    groups: tuple[GroupEdits, ...]
    kind: str = "edit"


@dataclass(frozen=True)
class TransitionEvent:
    at: datetime.datetime
    who: str
    log: TransitionLog
    kind: str = "transition"


@dataclass(frozen=True)
class CommentView:
    comment: ReviewComment
    field_label: str
    row_name: str


@dataclass(frozen=True)
class RoundEvent:
    at: datetime.datetime
    who: str
    round: ReviewRound
    comments: tuple[CommentView, ...]
    kind: str = "round"


Event = EditEvent | TransitionEvent | RoundEvent


def who(user: Any) -> str:
    if user is None:
        # Records written without a request: loaders, scripts, the admin shell.
        return _("System")
    return user.get_full_name() or user.get_username()


def version_history(version: StandardVersion) -> list[Event]:
    """Every edit, transition and review round of the version, newest first."""
    reader = _HistoryReader(version)
    edits = reader.row_edits()
    events: list[Event] = [*_edit_events(edits, reader.saves), *_transitions(version)]
    events += _rounds(version, reader.names)
    return sorted(events, key=lambda event: event.at, reverse=True)


class _HistoryReader:
    def __init__(self, version: StandardVersion) -> None:
        self.records = load_records(version)
        self.saves = Saves(version)
        self.references = self._resolve(reference_targets(version))
        self.baseline = _previous_content(version)
        self.values = {
            record.history_id: record_values(record, REGISTRY.group(name), self.references)
            for name, records in self.records.items()
            for record in records
        }
        self.names = RowNames.of(self.baseline)
        for name, records in self.records.items():
            group = REGISTRY.group(name)
            if group.repeats:
                for record in records:  # the latest record of a row names it
                    values = self.values[record.history_id]
                    self.names.add(name, str(record.uid), row_name(group, values))

    def _resolve(self, targets: Targets) -> ReferenceHistory:
        """Target uids, from the history for targets deleted since."""
        uids = {
            (name, record.id): str(record.uid)
            for name, records in self.records.items()
            if REGISTRY.group(name).repeats
            for record in records
        }
        resolved: ReferenceHistory = {}
        for (code, history_id), pairs in targets.items():
            group = REGISTRY[code].ref_group
            resolved[(code, history_id)] = [
                str(uid) if uid is not None else uids.get((group, pk), str(pk)) for pk, uid in pairs
            ]
        return resolved

    def row_edits(self) -> list[RowEdit]:
        edits = []
        for name, records in self.records.items():
            group = REGISTRY.group(name)
            for _pk, row_records in itertools.groupby(records, key=lambda r: r.id):
                edits += self._edits_of_row(group, list(row_records))
        return edits

    def _edits_of_row(self, group: Group, records: list[Any]) -> list[RowEdit]:
        edits = []
        previous: Any = None
        for run in _runs(records, self.saves):
            edit = self._edit(group, previous, run)
            if edit is not None:
                edits.append(edit)
            previous = run[-1]
        return edits

    def _edit(self, group: Group, previous: Any, run: list[Any]) -> RowEdit | None:
        first, last = run[0], run[-1]
        added, removed = first.history_type == "+", last.history_type == "-"
        if added and removed:
            return None  # a row that came and went within one save
        after = self.values[last.history_id]
        row_id = str(last.uid) if group.repeats else ""
        name = self.names.name(group.name, row_id) if group.repeats else ""
        fields: tuple[FieldChange, ...] = ()
        if removed:
            kind = ChangeKind.REMOVED
            return RowEdit(last.history_date, last.history_user, group, row_id, name, kind, fields)
        if added:
            fields = filled_fields(group, after, self.names)
            kind = ChangeKind.ADDED
        else:
            before = (
                self.values[previous.history_id]
                if previous is not None
                else self._baseline(group, row_id)
            )
            codes = _changed_codes(group, before, after)
            fields = describe_fields(group, codes, before, after, self.names, self.names)
            kind = ChangeKind.CHANGED
        if not fields:
            return None
        return RowEdit(last.history_date, last.history_user, group, row_id, name, kind, fields)

    def _baseline(self, group: Group, row_id: str) -> dict[str, Any]:
        """The row as copied from the previous version (empty when unknown)."""
        stored = self.baseline.get(group.name)
        if not group.repeats:
            return dict(stored or {})
        for row in stored or []:
            if row["row_id"] == row_id:
                return dict(row)
        return {}


def _runs(records: list[Any], saves: Saves) -> Iterator[list[Any]]:
    """Consecutive records of one row written by one save."""
    run = [records[0]]
    for record in records[1:]:
        first = (run[0].history_date, run[0].history_user_id)
        then = (record.history_date, record.history_user_id)
        if saves.same(first, then) and run[-1].history_type != "-":
            run.append(record)
        else:
            yield run
            run = [record]
    yield run


def _changed_codes(group: Group, before: dict[str, Any], after: dict[str, Any]) -> set[str]:
    if group.repeats:
        old: Any = [{**before, "row_id": "row"}]
        new: Any = [{**after, "row_id": "row"}]
    else:
        old, new = before, after
    changes = diff_content({group.name: old}, {group.name: new}, [group])
    return {str(c.code) for c in changes if c.kind is ChangeKind.CHANGED}


def _previous_content(version: StandardVersion) -> dict[str, Any]:
    """The content of the version before this one: where a new draft's rows came from."""
    previous = (
        StandardVersion.objects.filter(standard_id=version.standard_id, number__lt=version.number)
        .order_by("-number")
        .first()
    )
    if previous is None:
        return {}
    return version_contents([previous])[previous.pk]


def _edit_events(edits: list[RowEdit], saves: Saves) -> list[EditEvent]:
    """The row edits of one save, as one event grouped by group and row."""
    order = {name: index for index, name in enumerate(REGISTRY.groups)}
    batches: list[list[RowEdit]] = []
    for edit in sorted(edits, key=lambda e: (e.at, order[e.group.name])):
        batch = batches[-1] if batches else None
        if batch is not None and saves.same(
            (batch[0].at, _user_id(batch[0].user)), (edit.at, _user_id(edit.user))
        ):
            batch.append(edit)
        else:
            batches.append([edit])
    events = []
    for batch in batches:
        by_group: dict[str, list[RowEdit]] = {}
        for edit in sorted(batch, key=lambda e: order[e.group.name]):
            by_group.setdefault(edit.group.name, []).append(edit)
        groups = tuple(
            GroupEdits(group_label(REGISTRY.group(name)), REGISTRY.group(name).repeats, tuple(rows))
            for name, rows in by_group.items()
        )
        events.append(EditEvent(batch[-1].at, who(batch[0].user), groups))
    return events


def _user_id(user: Any) -> int | None:
    return None if user is None else user.pk


def _transitions(version: StandardVersion) -> list[TransitionEvent]:
    logs = TransitionLog.objects.filter(version=version).select_related("actor")
    return [TransitionEvent(log.at, who(log.actor), log) for log in logs]


def _rounds(version: StandardVersion, names: RowNames) -> list[RoundEvent]:
    comments = ReviewComment.objects.select_related("author", "answered_by").order_by(
        "created_at", "id"
    )
    rounds = (
        ReviewRound.objects.filter(version=version)
        .select_related("submitted_by", "reviewer")
        .prefetch_related(Prefetch("comments", queryset=comments))
    )
    return [
        RoundEvent(
            round_.submitted_at,
            who(round_.submitted_by),
            round_,
            tuple(_comment_view(comment, names) for comment in round_.comments.all()),
        )
        for round_ in rounds
    ]


def _comment_view(comment: ReviewComment, names: RowNames) -> CommentView:
    try:
        field = REGISTRY[comment.field_code]
    except KeyError:
        return CommentView(comment, comment.field_code, "")
    row = names.name(field.group, comment.row_id) if comment.row_id else ""
    return CommentView(comment, str(field.label), row)
