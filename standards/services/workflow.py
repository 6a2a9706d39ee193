"""The one state machine of standard versions.

    draft → submitted → in_review → returned → (resubmitted) → filed
          → confirmed → published → superseded | withdrawn

Each transition is a named function: atomic, permission-checked, logged with
actor, time, from-state, to-state and reason, and followed by notifications.
The `state` field is assigned nowhere else (a test checks the source).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standards.access import DEPARTMENT_ROLES, roles_of
from standards.completeness import missing_fields
from standards.models import (
    PublishedSnapshot,
    ReviewComment,
    ReviewRound,
    StandardVersion,
    TransitionLog,
)
from standards.models.standard import VersionState as State
from standards.registry import Stage
from standards.roles import Role
from standards.rules import Finding, run_rules
from standards.snapshot import SCHEMA_VERSION, snapshot
from standards.snapshot_schema import schema_errors

from .notifications import notify


class TransitionError(Exception):
    """The transition is not allowed now; the message says why."""


class TransitionForbidden(TransitionError):
    """The user may not take this action on this version."""


class SubmissionBlocked(TransitionError):
    """Blocking findings or missing required fields stop the submission."""

    def __init__(self, findings: list[Finding], missing: list[str]) -> None:
        super().__init__("submission blocked")
        self.findings = findings
        self.missing = missing


@dataclass(frozen=True)
class Transition:
    action: str
    sources: frozenset[State]
    target: State
    roles: frozenset[str]
    # "department": the version's own department; "review": a reviewer of its region.
    scope: str


TRANSITIONS: dict[str, Transition] = {
    t.action: t
    for t in (
        Transition(
            "submit", frozenset({State.DRAFT, State.RETURNED}), State.SUBMITTED,
            frozenset(DEPARTMENT_ROLES), "department",
        ),
        Transition(
            "start_review", frozenset({State.SUBMITTED}), State.IN_REVIEW,
            frozenset({Role.EDITORIAL_REVIEWER}), "review",
        ),
        Transition(
            "return_for_revision", frozenset({State.IN_REVIEW}), State.RETURNED,
            frozenset({Role.EDITORIAL_REVIEWER}), "review",
        ),
        Transition(
            "approve_filing", frozenset({State.IN_REVIEW}), State.FILED,
            frozenset({Role.EDITORIAL_REVIEWER}), "review",
        ),
        Transition(
            "confirm", frozenset({State.FILED}), State.CONFIRMED,
            frozenset({Role.DEPARTMENT_LEADER}), "department",
        ),
        Transition(
            "publish", frozenset({State.CONFIRMED}), State.PUBLISHED,
            frozenset({Role.DEPARTMENT_LEADER}), "department",
        ),
        Transition(
            "withdraw", frozenset({State.PUBLISHED}), State.WITHDRAWN,
            frozenset({Role.DEPARTMENT_LEADER}), "department",
        ),
    )
}  # fmt: skip


def in_scope(user: Any, version: StandardVersion, scope: str) -> bool:
    if scope == "department":
        return bool(user.department_id) and user.department_id == version.standard.department_id
    reviewed = {r.pk for r in user.reviewed_regions.all()}
    # A reviewer of a region oversees it and the regions below it.
    return any(region.pk in reviewed for region in version.standard.region.lineage())


def allowed(user: Any, version: StandardVersion, action: str) -> bool:
    """Whether `user` may take `action` on `version` in its current state."""
    transition = TRANSITIONS[action]
    return (
        version.state in transition.sources
        and bool(roles_of(user) & transition.roles)
        and in_scope(user, version, transition.scope)
    )


def available_actions(user: Any, version: StandardVersion) -> list[str]:
    return [action for action in TRANSITIONS if allowed(user, version, action)]


def _locked(version: StandardVersion) -> StandardVersion:
    return (
        StandardVersion.objects.select_for_update(of=("self",))
        .select_related("standard__department", "standard__region", "standard__item")
        .get(pk=version.pk)
    )


def _move(version: StandardVersion, action: str, user: Any, reason: str = "") -> StandardVersion:
    """Check, change the state (the only assignment of it), log and notify."""
    transition = TRANSITIONS[action]
    if version.state not in transition.sources:
        raise _wrong_state(version)
    if not (roles_of(user) & transition.roles) or not in_scope(user, version, transition.scope):
        raise TransitionForbidden(action)
    source = version.state
    version.state = transition.target
    version.save(update_fields=["state", "effective_from", "effective_to", "updated_at"])
    TransitionLog.objects.create(
        version=version,
        action=action,
        from_state=source,
        to_state=transition.target,
        actor=user,
        reason=reason,
    )
    notify(version=version, action=action, actor=user, reason=reason)
    return version


@transaction.atomic
def submit(*, version: StandardVersion, user: Any) -> StandardVersion:
    """Submit (or resubmit) for filing review; blocking findings stop it."""
    version = _locked(version)
    if not allowed(user, version, "submit"):
        _refuse(user, version, "submit")
    data = snapshot(version)
    blocking = [f for f in run_rules(data) if f.blocking]
    missing = sorted({m.code for m in missing_fields(data, Stage.FILING)})
    if blocking or missing:
        raise SubmissionBlocked(blocking, missing)
    previous = version.rounds.order_by("-number").first()
    if previous is not None:
        unanswered = previous.comments.filter(answer="")
        if unanswered.exists():
            raise TransitionError(_("Answer every comment of the last round before resubmitting."))
    ReviewRound.objects.create(
        version=version,
        number=(previous.number + 1) if previous else 1,
        submitted_by=user,
        submitted_content=data["content"],
    )
    return _move(version, "submit", user)


@transaction.atomic
def start_review(*, version: StandardVersion, user: Any) -> StandardVersion:
    version = _locked(version)
    if not allowed(user, version, "start_review"):
        _refuse(user, version, "start_review")
    round_ = version.rounds.get(outcome=ReviewRound.Outcome.OPEN)
    round_.reviewer = user
    round_.review_started_at = timezone.now()
    round_.save(update_fields=["reviewer", "review_started_at"])
    return _move(version, "start_review", user)


@transaction.atomic
def return_for_revision(
    *, version: StandardVersion, user: Any, reason: str = ""
) -> StandardVersion:
    """Send the version back with the round's comments (at least one)."""
    version = _locked(version)
    if not allowed(user, version, "return_for_revision"):
        _refuse(user, version, "return_for_revision")
    round_ = version.rounds.get(outcome=ReviewRound.Outcome.OPEN)
    if not round_.comments.exists():
        raise TransitionError(_("Write at least one comment before returning the filing."))
    _close_round(round_, ReviewRound.Outcome.RETURNED)
    return _move(version, "return_for_revision", user, reason)


@transaction.atomic
def approve_filing(*, version: StandardVersion, user: Any, reason: str = "") -> StandardVersion:
    version = _locked(version)
    if not allowed(user, version, "approve_filing"):
        _refuse(user, version, "approve_filing")
    round_ = version.rounds.get(outcome=ReviewRound.Outcome.OPEN)
    if round_.comments.filter(severity=ReviewComment.Severity.MUST_FIX).exists():
        raise TransitionError(_("This round has comments that must be fixed: return the filing."))
    _close_round(round_, ReviewRound.Outcome.APPROVED)
    return _move(version, "approve_filing", user, reason)


@transaction.atomic
def confirm(*, version: StandardVersion, user: Any) -> StandardVersion:
    version = _locked(version)
    if not allowed(user, version, "confirm"):
        _refuse(user, version, "confirm")
    return _move(version, "confirm", user)


@transaction.atomic
def publish(
    *, version: StandardVersion, user: Any, effective_from: datetime.date | None = None
) -> StandardVersion:
    """Write exactly one immutable snapshot and make the version the published one.

    Published now, the version may take effect later (`effective_from`); the
    version it replaces stays in force until the day before.
    """
    version = _locked(version)
    if not allowed(user, version, "publish"):
        _refuse(user, version, "publish")
    data = snapshot(version)
    errors = schema_errors(data)
    missing = sorted({m.code for m in missing_fields(data, Stage.PUBLISH)})
    if errors or missing:
        raise SubmissionBlocked([], missing or errors)
    start = effective_from or timezone.localdate()
    version.effective_from = start
    version.effective_to = None
    data["standard"]["version"]["effective_from"] = start.isoformat()
    data["standard"]["version"]["effective_to"] = None
    PublishedSnapshot.objects.create(
        version=version, schema_version=SCHEMA_VERSION, data=data, published_by=user
    )
    for previous in (
        StandardVersion.objects.select_for_update()
        .filter(standard=version.standard, state=State.PUBLISHED)
        .exclude(pk=version.pk)
    ):
        _supersede(previous, by=version, starting=start, user=user)
    moved = _move(version, "publish", user)
    transaction.on_commit(lambda: _enqueue_rendering(moved.pk))
    return moved


@transaction.atomic
def withdraw(*, version: StandardVersion, user: Any, reason: str) -> StandardVersion:
    """Take a published version out of force, with a reason."""
    if not reason.strip():
        raise TransitionError(_("Give the reason for withdrawing."))
    version = _locked(version)
    if not allowed(user, version, "withdraw"):
        _refuse(user, version, "withdraw")
    # No longer in force from today on.
    version.effective_to = timezone.localdate() - datetime.timedelta(days=1)
    return _move(version, "withdraw", user, reason)


def _supersede(
    previous: StandardVersion, *, by: StandardVersion, starting: datetime.date, user: Any
) -> None:
    end = starting - datetime.timedelta(days=1)
    if previous.effective_from and end < previous.effective_from:
        end = previous.effective_from
    previous.effective_to = end
    source = previous.state
    previous.state = State.SUPERSEDED
    previous.save(update_fields=["state", "effective_to", "updated_at"])
    TransitionLog.objects.create(
        version=previous,
        action="supersede",
        from_state=source,
        to_state=State.SUPERSEDED,
        actor=user,
        reason=f"v{by.number}",
    )


def _enqueue_rendering(version_id: int) -> None:
    # Imported late: the task module imports the rendering service.
    from standards.tasks import render_published_documents

    render_published_documents.enqueue(version_id)


def _close_round(round_: ReviewRound, outcome: str) -> None:
    round_.outcome = outcome
    round_.closed_at = timezone.now()
    round_.save(update_fields=["outcome", "closed_at"])


def _refuse(user: Any, version: StandardVersion, action: str) -> None:
    if version.state not in TRANSITIONS[action].sources:
        raise _wrong_state(version)
    raise TransitionForbidden(action)


def _wrong_state(version: StandardVersion) -> TransitionError:
    return TransitionError(
        _("This cannot be done while the version is “%(state)s”.")
        % {"state": version.get_state_display()}
    )


def in_force(standard_id: int, on: datetime.date) -> StandardVersion | None:
    """The version of a standard in force on a date, if any."""
    return (
        StandardVersion.objects.filter(
            standard_id=standard_id,
            published_snapshot__isnull=False,
            effective_from__lte=on,
        )
        .exclude(effective_to__lt=on)
        .order_by("-effective_from", "-number")
        .first()
    )
