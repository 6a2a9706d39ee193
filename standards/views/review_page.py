"""Everything the review screen shows, built from the latest round's submitted content.

The content reviewed is what the department submitted (the latest round's
`submitted_content`): while a version is submitted or in review it equals the
live content; once returned, the department's new edits stay out of the reviewer's view
until it is resubmitted. Findings come from running the rules over it.

Costs a fixed number of queries whatever the rows: rounds, comments and
transitions are one query each.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from typing import Any

from standards.diff import Change, diff_content
from standards.models import ReviewComment, ReviewRound, StandardVersion, TransitionLog
from standards.registry import REGISTRY, FieldType, Group, Section
from standards.registry import Field as RegistryField
from standards.rules import Finding, run_rules
from standards.services.workflow import allowed
from standards.snapshot import SCHEMA_VERSION, Snapshot, standard_meta

from .review_display import (
    ChangeLine,
    Content,
    anchor_id,
    change_lines,
    changes_at,
    is_empty,
    row_name,
    rows_of,
    value_text,
)

REVIEW_ACTIONS = ("start_review", "return_for_revision", "approve_filing")


@dataclass
class CommentView:
    comment: ReviewComment
    current: bool  # of the latest round (else of the one before)
    deletable: bool = False
    # For a comment of the previous round: what changed in its field since.
    changes: list[ChangeLine] = dataclasses.field(default_factory=list)
    place: str = ""  # field (and row) in words, for lists away from the field


@dataclass
class FieldView:
    field: RegistryField
    text: str
    empty: bool
    anchor: str
    row_id: str = ""
    findings: list[Finding] = dataclasses.field(default_factory=list)
    comments: list[CommentView] = dataclasses.field(default_factory=list)

    @property
    def long(self) -> bool:
        return self.field.type is FieldType.LONGTEXT


@dataclass
class RowView:
    row_id: str
    name: str
    fields: list[FieldView]

    @property
    def anchor(self) -> str:
        return f"r-{self.row_id}"

    @property
    def first_code(self) -> str:
        return self.fields[0].field.code

    @property
    def flagged(self) -> bool:
        return any(f.findings or f.comments for f in self.fields)


@dataclass
class GroupView:
    group: Group
    label: Any
    fields: list[FieldView] = dataclasses.field(default_factory=list)  # a single-valued group
    rows: list[RowView] = dataclasses.field(default_factory=list)  # a repeating group
    findings: list[Finding] = dataclasses.field(default_factory=list)  # about the group, no row

    @property
    def anchor(self) -> str:
        return f"g-{self.group.name}"


@dataclass
class SectionView:
    section: Section
    groups: list[GroupView]
    findings: int = 0
    comments: int = 0


@dataclass(frozen=True)
class FindingLink:
    finding: Finding
    anchor: str
    where: str


@dataclass
class ReviewPage:
    version: StandardVersion
    rounds: list[ReviewRound]
    content: Content
    findings: list[Finding]
    sections: list[SectionView]
    finding_links: list[FindingLink]
    round_changes: list[ChangeLine]
    unplaced: list[CommentView]
    transitions: list[TransitionLog]
    actions: list[str]
    may_comment: bool

    @property
    def latest(self) -> ReviewRound:
        return self.rounds[-1]

    @property
    def previous(self) -> ReviewRound | None:
        return self.rounds[-2] if len(self.rounds) > 1 else None

    def row_choices(self) -> dict[str, list[tuple[str, str]]]:
        return row_choices(self.content)


def row_choices(content: Content) -> dict[str, list[tuple[str, str]]]:
    """The rows a comment may be anchored to, by repeating group: (row id, row name)."""
    return {
        name: [(row["row_id"], row_name(content, name, row["row_id"])) for row in rows]
        for name, group in REGISTRY.groups.items()
        if group.repeats and (rows := rows_of(content, name))
    }


def review_page(version: StandardVersion, user: Any) -> ReviewPage:
    rounds = list(version.rounds.select_related("submitted_by", "reviewer").order_by("number"))
    latest = rounds[-1]
    previous = rounds[-2] if len(rounds) > 1 else None
    content: Content = latest.submitted_content
    findings = run_rules(submitted_snapshot(version, content))
    changes = diff_content(previous.submitted_content, content) if previous else []
    actions = [action for action in REVIEW_ACTIONS if allowed(user, version, action)]
    can_comment = "return_for_revision" in actions  # see services.review.may_comment
    comments = _comment_views(user, rounds, changes, can_comment)
    builder = _Builder(content, findings, comments)
    sections = [builder.section(s) for s in REGISTRY.sections]
    unplaced = [c for c in comments if id(c) not in builder.placed]
    for comment in unplaced:
        comment.place = _place(content, comment.comment)
    transitions = list(version.transitions.select_related("actor"))
    return ReviewPage(
        version=version,
        rounds=rounds,
        content=content,
        findings=findings,
        sections=sections,
        finding_links=builder.finding_links(findings),
        round_changes=change_lines(changes, previous.submitted_content, content)
        if previous
        else [],
        unplaced=unplaced,
        transitions=transitions,
        actions=actions,
        may_comment=can_comment,
    )


def submitted_snapshot(version: StandardVersion, content: Content) -> Snapshot:
    """A snapshot of submitted content, for the rules (they read the item's meta and content)."""
    return {
        "schema_version": SCHEMA_VERSION,
        "standard": standard_meta(version),
        "content": content,
    }


def _comment_views(
    user: Any, rounds: list[ReviewRound], changes: list[Change], can_comment: bool
) -> list[CommentView]:
    latest = rounds[-1]
    shown = [r.pk for r in rounds[-2:]]
    query = ReviewComment.objects.filter(review_round__in=shown).select_related(
        "author", "answered_by", "review_round"
    )
    views = []
    before = rounds[-2].submitted_content if len(rounds) > 1 else {}
    for comment in query.order_by("review_round__number", "id"):
        current = comment.review_round_id == latest.pk
        view = CommentView(comment, current)
        if current:
            view.deletable = (
                can_comment
                and comment.author_id == user.pk
                and latest.outcome == ReviewRound.Outcome.OPEN
            )
        else:
            found = changes_at(changes, comment.field_code, comment.row_id)
            view.changes = change_lines(found, before, latest.submitted_content)
        views.append(view)
    return views


def _place(content: Content, comment: ReviewComment) -> str:
    field_ = REGISTRY.get(comment.field_code)
    label = f"{comment.field_code} {field_.label}" if field_ else comment.field_code
    if comment.row_id and field_ is not None:
        return f"{label} · {row_name(content, field_.group, comment.row_id)}"
    return label


class _Builder:
    """Places findings and comments beside the fields (and rows) they concern."""

    def __init__(self, content: Content, findings: list[Finding], comments: list[CommentView]):
        self.content = content
        self.by_field: dict[tuple[str, str], list[Finding]] = {}
        self.by_group: dict[str, list[Finding]] = {}
        for finding in findings:
            for code in dict.fromkeys(finding.codes):
                field_ = REGISTRY[code]
                if not field_.repeats:
                    self.by_field.setdefault((code, ""), []).append(finding)
                elif finding.row_id and finding.group == field_.group:
                    self.by_field.setdefault((code, finding.row_id), []).append(finding)
                elif finding not in self.by_group.get(field_.group, []):
                    self.by_group.setdefault(field_.group, []).append(finding)
        self.comments: dict[tuple[str, str], list[CommentView]] = {}
        for view in comments:
            key = (view.comment.field_code, view.comment.row_id)
            self.comments.setdefault(key, []).append(view)
        self.placed: set[int] = set()

    def section(self, section: Section) -> SectionView:
        groups = [self.group(g) for g in section.groups]
        fields = [f for g in groups for f in g.fields] + [
            f for g in groups for r in g.rows for f in r.fields
        ]
        return SectionView(
            section,
            groups,
            findings=len({id(x) for f in fields for x in f.findings})
            + sum(len(g.findings) for g in groups),
            comments=sum(len(f.comments) for f in fields),
        )

    def group(self, group: Group) -> GroupView:
        view = GroupView(group, group.model._meta.verbose_name_plural)
        if group.repeats:
            view.findings = self.by_group.get(group.name, [])
            for row in rows_of(self.content, group.name):
                row_id = row["row_id"]
                fields = [self.field(f, row.get(f.code), row_id) for f in group.fields]
                view.rows.append(
                    RowView(row_id, row_name(self.content, group.name, row_id), fields)
                )
        else:
            view.label = group.model._meta.verbose_name
            values = self.content.get(group.name) or {}
            view.fields = [self.field(f, values.get(f.code)) for f in group.fields]
        return view

    def field(self, field_: RegistryField, value: Any, row_id: str = "") -> FieldView:
        comments = self.comments.get((field_.code, row_id), [])
        self.placed.update(id(c) for c in comments)
        return FieldView(
            field=field_,
            text=value_text(field_, value, self.content),
            empty=is_empty(value),
            anchor=anchor_id(field_.code, row_id),
            row_id=row_id,
            findings=self.by_field.get((field_.code, row_id), []),
            comments=comments,
        )

    def finding_links(self, findings: list[Finding]) -> list[FindingLink]:
        links = []
        for finding in findings:
            code = finding.codes[0]
            field_ = REGISTRY[code]
            where = f"{field_.section} {field_.label}"
            if not field_.repeats:
                anchor = anchor_id(code)
            elif finding.row_id and finding.group == field_.group:
                anchor = anchor_id(code, finding.row_id)
                where += f" · {row_name(self.content, field_.group, finding.row_id)}"
            else:
                anchor = f"g-{field_.group}"
            links.append(FindingLink(finding, anchor, where))
        return links
