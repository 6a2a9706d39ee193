"""An exception at any step of publishing leaves no trace of the attempt.

The scene: version 1 of the food licence is published, version 2 is confirmed
and being published (so the step that supersedes version 1 runs). Each test
makes one step of `workflow.publish` raise — after the step has done its work
where it writes — and compares a fingerprint of everything publishing touches
before and after: snapshots, states and dates of both versions, transition
logs, notifications, e-mails, webhook deliveries, the search index and the
task queue.

The tests are transactional (`transaction=True`): publish's own atomic block is
the outermost one and really commits or rolls back, and on_commit callbacks
really run (or not) as in production.
"""

from types import SimpleNamespace

import pytest
from django.core import mail
from django.db import transaction
from django.tasks import default_task_backend

from search.models import SearchEntry
from standards.models import (
    Notification,
    PublishedSnapshot,
    StandardVersion,
    TransitionLog,
)
from standards.services import workflow
from standards.services.drafting import new_draft_from
from subscriptions.models import WebhookDelivery, WebhookSubscription

from .world import bring_to_confirmed, load_food_sample, workflow_people

pytestmark = pytest.mark.django_db(transaction=True)
State = StandardVersion.State


class Injected(RuntimeError):
    """The failure these tests inject."""


@pytest.fixture
def scene(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    first = load_food_sample()
    people = workflow_people(first)
    bring_to_confirmed(first, people)
    workflow.publish(version=first, user=people["leader"])
    second = new_draft_from(version=first, user=people["staff"])
    bring_to_confirmed(second, people)
    # A subscriber, so publishing also creates a webhook delivery.
    WebhookSubscription.objects.create(
        url="https://hooks.example.gov.cn/standards", created_by=people["staff"]
    )
    default_task_backend.clear()
    mail.outbox.clear()
    return SimpleNamespace(first=first, second=second, leader=people["leader"])


def fingerprint(scene):
    versions = StandardVersion.objects.filter(pk__in=[scene.first.pk, scene.second.pk])
    return {
        "versions": sorted(versions.values_list("pk", "state", "effective_from", "effective_to")),
        "snapshots": sorted(PublishedSnapshot.objects.values_list("version_id", "sha256")),
        "transitions": TransitionLog.objects.count(),
        "notifications": Notification.objects.count(),
        "deliveries": WebhookDelivery.objects.count(),
        "search": sorted(SearchEntry.objects.values_list("pk", flat=True)),
        "mails": len(mail.outbox),
        "tasks": len(default_task_backend.results),
    }


def after(original, then_fail_when=lambda *args, **kwargs: True):
    """`original`, which does its work and then raises (when the condition holds)."""

    def step(*args, **kwargs):
        result = original(*args, **kwargs)
        if then_fail_when(*args, **kwargs):
            raise Injected(original.__name__)
        return result

    return step


def before(*args, **kwargs):
    raise Injected("before the step")


# name -> how to make that step of publish fail (given pytest's monkeypatch).
STEPS = {
    "snapshot": lambda mp: mp.setattr(workflow, "snapshot", before),
    "schema check": lambda mp: mp.setattr(workflow, "schema_errors", before),
    "published snapshot row written": lambda mp: mp.setattr(
        PublishedSnapshot, "save", after(PublishedSnapshot.save)
    ),
    "previous version superseded": lambda mp: mp.setattr(
        workflow, "_supersede", after(workflow._supersede)
    ),
    "transition logged": lambda mp: mp.setattr(
        TransitionLog.objects,
        "create",
        after(TransitionLog.objects.create, lambda **kw: kw.get("action") == "publish"),
    ),
    "people notified": lambda mp: mp.setattr(workflow, "notify", after(workflow.notify)),
    "rendering queued on commit": lambda mp: mp.setattr(
        workflow,
        "transaction",
        SimpleNamespace(atomic=transaction.atomic, on_commit=before),
    ),
}


@pytest.mark.parametrize("step", list(STEPS))
def test_a_failure_at_any_step_of_publishing_leaves_no_partial_state(scene, monkeypatch, step):
    expected = fingerprint(scene)
    STEPS[step](monkeypatch)
    with pytest.raises(Injected):
        workflow.publish(version=scene.second, user=scene.leader)
    monkeypatch.undo()
    assert fingerprint(scene) == expected
    scene.second.refresh_from_db()
    assert scene.second.state == State.CONFIRMED
    # Nothing is left half-done to get in the way: publishing again works.
    workflow.publish(version=scene.second, user=scene.leader)
    assert PublishedSnapshot.objects.get(version=scene.second).verify()


def test_without_a_failure_the_same_publication_changes_every_part_of_the_fingerprint(scene):
    """The control: the fingerprint above does see a publication (so the tests can fail)."""
    expected = fingerprint(scene)
    workflow.publish(version=scene.second, user=scene.leader)
    found = fingerprint(scene)
    changed = {key for key in expected if found[key] != expected[key]}
    assert {"versions", "snapshots", "transitions", "notifications", "deliveries", "tasks"} <= (
        changed
    )
    rendering = [r for r in default_task_backend.results if "render" in r.task.module_path]
    assert [r.args for r in rendering] == [[scene.second.pk]]


def test_a_failure_of_the_queue_after_commit_keeps_the_whole_publication(scene, monkeypatch):
    """Once committed, publishing stands whole; the lost enqueue is reported to the caller.

    The PDFs are then rendered by `manage.py render_documents` (or the next
    publication); the published data and the guide page do not depend on them.
    """

    def queue_down(version_id):
        raise Injected("queue unreachable")

    monkeypatch.setattr(workflow, "_enqueue_rendering", queue_down)
    with pytest.raises(Injected):
        workflow.publish(version=scene.second, user=scene.leader)
    scene.first.refresh_from_db()
    scene.second.refresh_from_db()
    assert scene.second.state == State.PUBLISHED
    assert scene.first.state == State.SUPERSEDED
    assert PublishedSnapshot.objects.get(version=scene.second).verify()
    assert TransitionLog.objects.filter(version=scene.second, action="publish").count() == 1
    assert not [r for r in default_task_backend.results if "render" in r.task.module_path]
