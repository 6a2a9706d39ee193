"""The state machine: every allowed transition works, every other one is refused."""

import datetime
import itertools
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core import mail
from django.db import IntegrityError, connection, transaction
from django.test import override_settings
from django.utils import timezone

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import (
    ImmutableSnapshotError,
    Notification,
    PublishedSnapshot,
    Region,
    ReviewComment,
    StandardVersion,
    TransitionLog,
)
from standards.roles import Role, ensure_role_groups
from standards.services import workflow
from standards.services.drafting import new_draft_from
from standards.snapshot import snapshot
from tests.factories import DepartmentFactory, UserFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
State = StandardVersion.State


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 食品经营许可 sample of 南海区 (a county) loaded once, rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        yield StandardVersion.objects.select_related("standard__department").get()
        transaction.set_rollback(True)


def person(role, department=None, regions=(), name=None):
    user = UserFactory(
        username=name or f"{role}-{UserFactory._meta.model.objects.count()}",
        department=department,
        email=f"{role}@example.gov.cn",
    )
    user.groups.set([ensure_role_groups()[role]])
    user.reviewed_regions.set(Region.objects.filter(code__in=regions))
    return user


@pytest.fixture
def people(sample, db):
    department = sample.standard.department
    return {
        "staff": person(Role.DEPARTMENT_STAFF, department),
        "leader": person(Role.DEPARTMENT_LEADER, department),
        "reviewer": person(Role.EDITORIAL_REVIEWER, regions=["440600"]),  # Foshan covers Nanhai
        "province_reviewer": person(Role.EDITORIAL_REVIEWER, regions=["440000"]),
        "other_reviewer": person(Role.EDITORIAL_REVIEWER, regions=["440100"]),  # Guangzhou
        "other_staff": person(Role.DEPARTMENT_STAFF, DepartmentFactory()),
        "other_leader": person(Role.DEPARTMENT_LEADER, DepartmentFactory()),
        "admin": person(Role.ADMINISTRATOR),
    }


def comment(version, reviewer, severity=ReviewComment.Severity.MUST_FIX):
    round_ = version.rounds.get(outcome="open")
    return ReviewComment.objects.create(
        review_round=round_,
        field_code="E12.12",
        reason=ReviewComment.Reason.WORDING,
        severity=severity,
        text="办理时间请写明午休时段。",
        author=reviewer,
    )


ACTIONS = {
    "submit": lambda v, u: workflow.submit(version=v, user=u),
    "start_review": lambda v, u: workflow.start_review(version=v, user=u),
    "return_for_revision": lambda v, u: workflow.return_for_revision(version=v, user=u),
    "approve_filing": lambda v, u: workflow.approve_filing(version=v, user=u),
    "confirm": lambda v, u: workflow.confirm(version=v, user=u),
    "publish": lambda v, u: workflow.publish(version=v, user=u),
    "withdraw": lambda v, u: workflow.withdraw(version=v, user=u, reason="依据已废止"),
}
# Who may take each action (from the issue): department staff submit, the
# leader confirms, publishes and withdraws, reviewers of the region review.
ALLOWED = {
    ("submit", "staff"), ("submit", "leader"),
    ("start_review", "reviewer"), ("start_review", "province_reviewer"),
    ("return_for_revision", "reviewer"), ("return_for_revision", "province_reviewer"),
    ("approve_filing", "reviewer"), ("approve_filing", "province_reviewer"),
    ("confirm", "leader"), ("publish", "leader"), ("withdraw", "leader"),
}  # fmt: skip
SOURCE = {
    "submit": {State.DRAFT, State.RETURNED},
    "start_review": {State.SUBMITTED},
    "return_for_revision": {State.IN_REVIEW},
    "approve_filing": {State.IN_REVIEW},
    "confirm": {State.FILED},
    "publish": {State.CONFIRMED},
    "withdraw": {State.PUBLISHED},
}


def bring_to(version, state, people):
    """Walk the version to `state` through the real transitions."""
    submitted = [("submit", "staff")]
    reviewing = [*submitted, ("start_review", "reviewer")]
    filed = [*reviewing, ("approve_filing", "reviewer")]
    confirmed = [*filed, ("confirm", "leader")]
    published = [*confirmed, ("publish", "leader")]
    path = {
        State.DRAFT: [],
        State.SUBMITTED: submitted,
        State.IN_REVIEW: reviewing,
        State.RETURNED: [
            *reviewing,
            ("comment", "reviewer"),
            ("return_for_revision", "reviewer"),
            ("answer", "staff"),
        ],
        State.FILED: filed,
        State.CONFIRMED: confirmed,
        State.PUBLISHED: published,
        State.WITHDRAWN: [*published, ("withdraw", "leader")],
    }[state]
    for action, who in path:
        if action == "comment":
            comment(version, people[who])
        elif action == "answer":
            ReviewComment.objects.filter(review_round__version=version).update(answer="fixed")
        else:
            ACTIONS[action](version, people[who])
    version.refresh_from_db()
    assert version.state == state


ROLES = ["staff", "leader", "reviewer", "province_reviewer", "other_reviewer", "other_staff",
         "other_leader", "admin"]  # fmt: skip


@pytest.mark.parametrize("state", [s for s in State if s != State.SUPERSEDED])
def test_role_state_action_matrix(sample, people, state):
    """Every action × role in this state: allowed ones work, all others are refused.

    The version is walked to `state` once; each attempt runs in a savepoint
    that is rolled back, so every attempt starts from the same state.
    """
    version = sample
    bring_to(version, state, people)
    if state == State.IN_REVIEW:
        comment(version, people["reviewer"], severity=ReviewComment.Severity.SUGGESTION)
    for action, role in itertools.product(ACTIONS, ROLES):
        permitted = (action, role) in ALLOWED and state in SOURCE[action]
        assert workflow.allowed(people[role], version, action) is permitted, (action, role)
        before = TransitionLog.objects.filter(version=version).count()
        with transaction.atomic():
            if permitted:
                moved = ACTIONS[action](version, people[role])
                assert moved.state == workflow.TRANSITIONS[action].target, (action, role)
                log = TransitionLog.objects.filter(version=version, action=action).last()
                assert (log.from_state, log.to_state, log.actor) == (
                    state, moved.state, people[role],
                ), (action, role)  # fmt: skip
            else:
                with pytest.raises(workflow.TransitionError):
                    ACTIONS[action](version, people[role])
                assert TransitionLog.objects.filter(version=version).count() == before
            transaction.set_rollback(True)
        version.refresh_from_db()
        assert version.state == state, (action, role)


def test_submitting_with_blocking_findings_is_stopped_and_lists_the_fields(sample, people):
    service = sample.service
    service.complaint_phone = service.consultation_phone
    service.save()
    with pytest.raises(workflow.SubmissionBlocked) as blocked:
        workflow.submit(version=sample, user=people["staff"])
    assert any("E12.07" in f.codes for f in blocked.value.findings)
    sample.refresh_from_db()
    assert sample.state == State.DRAFT
    assert not sample.rounds.exists()


def test_submitting_with_an_empty_required_field_is_stopped(sample, people):
    sample.implementingagency.agency_name = ""
    sample.implementingagency.save()
    with pytest.raises(workflow.SubmissionBlocked) as blocked:
        workflow.submit(version=sample, user=people["staff"])
    assert "E03.01" in blocked.value.missing


def test_returning_needs_a_comment_and_resubmitting_needs_every_answer(sample, people):
    bring_to(sample, State.IN_REVIEW, people)
    with pytest.raises(workflow.TransitionError):
        workflow.return_for_revision(version=sample, user=people["reviewer"])
    note = comment(sample, people["reviewer"])
    workflow.return_for_revision(version=sample, user=people["reviewer"], reason="请修改")
    with pytest.raises(workflow.TransitionError):
        workflow.submit(version=sample, user=people["staff"])
    note.answer = ReviewComment.Answer.FIXED
    note.save()
    workflow.submit(version=sample, user=people["staff"])
    assert [r.number for r in sample.rounds.all()] == [1, 2]
    assert sample.rounds.get(number=1).outcome == "returned"


def test_a_must_fix_comment_prevents_approval(sample, people):
    bring_to(sample, State.IN_REVIEW, people)
    comment(sample, people["reviewer"])
    with pytest.raises(workflow.TransitionError):
        workflow.approve_filing(version=sample, user=people["reviewer"])
    ReviewComment.objects.update(severity=ReviewComment.Severity.SUGGESTION)
    assert workflow.approve_filing(version=sample, user=people["reviewer"]).state == State.FILED


def test_publishing_stores_one_verified_snapshot_and_supersedes_the_previous(sample, people):
    bring_to(sample, State.PUBLISHED, people)
    stored = PublishedSnapshot.objects.get(version=sample)
    assert stored.verify()
    expected = snapshot(sample)
    expected["standard"]["version"]["effective_from"] = sample.effective_from.isoformat()
    assert stored.data == expected
    draft = new_draft_from(version=sample, user=people["staff"])
    bring_to(draft, State.CONFIRMED, people) if False else None
    for action, who in [("submit", "staff"), ("start_review", "reviewer"),
                        ("approve_filing", "reviewer"), ("confirm", "leader")]:  # fmt: skip
        ACTIONS[action](draft, people[who])
    later = timezone.localdate() + datetime.timedelta(days=10)
    workflow.publish(version=draft, user=people["leader"], effective_from=later)
    sample.refresh_from_db()
    assert sample.state == State.SUPERSEDED
    assert sample.effective_to == later - datetime.timedelta(days=1)
    standard = sample.standard_id
    assert workflow.in_force(standard, timezone.localdate()) == sample
    assert workflow.in_force(standard, later) == draft
    assert workflow.in_force(standard, sample.effective_from - datetime.timedelta(days=1)) is None


def test_a_withdrawn_version_is_no_longer_in_force(sample, people):
    bring_to(sample, State.WITHDRAWN, people)
    assert workflow.in_force(sample.standard_id, timezone.localdate()) is None
    assert (
        TransitionLog.objects.filter(version=sample, action="withdraw").get().reason == "依据已废止"
    )
    with pytest.raises(workflow.TransitionError):
        workflow.withdraw(version=sample, user=people["leader"], reason="  ")


def test_a_published_snapshot_cannot_be_changed_or_deleted(sample, people):
    bring_to(sample, State.PUBLISHED, people)
    stored = PublishedSnapshot.objects.get(version=sample)
    stored.data = {"changed": True}
    with pytest.raises(ImmutableSnapshotError):
        stored.save()
    with pytest.raises(ImmutableSnapshotError):
        stored.delete()
    with pytest.raises(ImmutableSnapshotError):
        PublishedSnapshot.objects.filter(pk=stored.pk).update(sha256="0" * 64)
    with pytest.raises(ImmutableSnapshotError):
        PublishedSnapshot.objects.filter(pk=stored.pk).delete()
    # the database refuses even raw SQL
    with (
        pytest.raises(Exception, match="immutable"),
        transaction.atomic(),
        connection.cursor() as cursor,
    ):
        cursor.execute(
            "UPDATE standards_publishedsnapshot SET sha256 = 'x' WHERE id = %s", [stored.pk]
        )
    assert PublishedSnapshot.objects.get(pk=stored.pk).verify()


def test_a_failure_in_the_middle_of_publishing_leaves_nothing(sample, people, monkeypatch):
    bring_to(sample, State.CONFIRMED, people)

    def explode(**kwargs):
        raise RuntimeError("injected failure after the snapshot was written")

    monkeypatch.setattr(workflow, "notify", explode)
    with pytest.raises(RuntimeError):
        workflow.publish(version=sample, user=people["leader"])
    sample.refresh_from_db()
    assert sample.state == State.CONFIRMED
    assert not PublishedSnapshot.objects.filter(version=sample).exists()
    assert not TransitionLog.objects.filter(version=sample, action="publish").exists()


def test_transitions_notify_the_people_concerned(
    sample, people, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        workflow.submit(version=sample, user=people["staff"])
    inboxes = set(
        Notification.objects.filter(action="submit").values_list("recipient__username", flat=True)
    )
    assert inboxes == {people["reviewer"].username, people["province_reviewer"].username}
    assert len(mail.outbox) == 2
    assert "食品经营许可" in mail.outbox[0].subject


def test_the_state_field_is_assigned_only_by_the_workflow_services():
    root = Path(settings.BASE_DIR)
    offenders = []
    for path in list((root / "standards").rglob("*.py")) + list((root / "guides").rglob("*.py")):
        if "migrations" in path.parts or path.name == "workflow.py":
            continue
        text = path.read_text(encoding="utf-8")
        if re.search(r"\.state\s*=[^=]|update\(\s*state\s*=|state\s*=\s*State\.", text):
            offenders.append(str(path.relative_to(root)))
    assert offenders == []


def test_the_database_refuses_an_unknown_state(sample):
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardVersion.objects.filter(pk=sample.pk).update(state="approved")
