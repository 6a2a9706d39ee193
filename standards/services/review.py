"""Writing review comments and the department's answers to them.

Each operation locks the version, checks again that the user may act now
(the page they posted from may be stale) and writes in one transaction. The
version's state is not changed here: that is `standards.services.workflow`'s.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone

from standards.access import DEPARTMENT_ROLES, roles_of
from standards.models import ReviewComment, ReviewRound, StandardVersion
from standards.services.workflow import allowed, in_scope

State = StandardVersion.State


class ReviewRefused(Exception):
    """The user may not do this to this version now."""


@dataclass(frozen=True)
class CommentInput:
    field_code: str
    row_id: str
    reason: str
    severity: str
    text: str


def may_comment(user: Any, version: StandardVersion) -> bool:
    """Comments are written while the version is in review, by whoever may return it."""
    return allowed(user, version, "return_for_revision")


def may_delete(user: Any, version: StandardVersion, comment: ReviewComment) -> bool:
    """Authors delete their own comments while the round is open and in review."""
    return (
        comment.author_id == user.pk
        and comment.review_round.outcome == ReviewRound.Outcome.OPEN
        and may_comment(user, version)
    )


def may_answer(user: Any, version: StandardVersion) -> bool:
    """The department answers the comments while the version is returned to it."""
    return (
        version.state == State.RETURNED
        and bool(roles_of(user) & DEPARTMENT_ROLES)
        and in_scope(user, version, "department")
    )


def latest_round(version: StandardVersion) -> ReviewRound | None:
    return version.rounds.order_by("-number").first()


def latest_returned_round(version: StandardVersion) -> ReviewRound | None:
    returned = version.rounds.filter(outcome=ReviewRound.Outcome.RETURNED)
    return returned.order_by("-number").first()


@transaction.atomic
def add_comment(*, version: StandardVersion, user: Any, data: CommentInput) -> ReviewComment:
    version = _locked(version)
    if not may_comment(user, version):
        raise ReviewRefused
    round_ = version.rounds.get(outcome=ReviewRound.Outcome.OPEN)
    return ReviewComment.objects.create(review_round=round_, author=user, **asdict(data))


@transaction.atomic
def delete_comment(*, version: StandardVersion, user: Any, comment: ReviewComment) -> None:
    version = _locked(version)
    comment = ReviewComment.objects.select_related("review_round").get(pk=comment.pk)
    if comment.review_round.version_id != version.pk or not may_delete(user, version, comment):
        raise ReviewRefused
    comment.delete()


@transaction.atomic
def answer_comment(
    *, version: StandardVersion, user: Any, comment: ReviewComment, answer: str, text: str
) -> ReviewComment:
    """Record the department's answer (fixed, or explained with a text); it may be revised."""
    version = _locked(version)
    round_ = latest_returned_round(version)
    if not may_answer(user, version) or round_ is None or comment.review_round_id != round_.pk:
        raise ReviewRefused
    comment.answer = answer
    comment.answer_text = text
    comment.answered_by = user
    comment.answered_at = timezone.now()
    comment.save(update_fields=["answer", "answer_text", "answered_by", "answered_at"])
    return comment


def _locked(version: StandardVersion) -> StandardVersion:
    return (
        StandardVersion.objects.select_for_update(of=("self",))
        .select_related("standard__department", "standard__region")
        .get(pk=version.pk)
    )
