"""Publishing through the real workflow announces the publication once to the receiver."""

import json
from pathlib import Path

import pytest
from django.conf import settings
from django.tasks import default_task_backend
from django.test import override_settings

from standards.loading.demo_users import create_demo_users
from standards.loading.demo_workflow import run_demo_workflow
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import Department, PublishedSnapshot, User
from subscriptions.models import WebhookDelivery, WebhookSubscription
from subscriptions.signing import verify
from subscriptions.tasks import deliver_webhook

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.mark.django_db
def test_the_workflow_publication_reaches_the_receiver_once(
    receiver, tmp_path, django_capture_on_commit_callbacks
):
    with override_settings(MEDIA_ROOT=tmp_path):
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        create_demo_users("demo-2026")
        department = Department.objects.get(members__username="nanhai_leader")
        subscription = WebhookSubscription.objects.create(
            url=receiver.url, department=department, created_by=User.objects.get(username="admin")
        )
        default_task_backend.clear()
        with django_capture_on_commit_callbacks(execute=True):
            run_demo_workflow()

    snapshot = PublishedSnapshot.objects.get()
    delivery = WebhookDelivery.objects.get()
    assert (delivery.subscription, delivery.snapshot) == (subscription, snapshot)
    queued = {r.task.name: list(r.args) for r in default_task_backend.results}
    # Our delivery is queued beside the PDF rendering, which still happens.
    assert queued == {
        "render_published_documents": [snapshot.version_id],
        "deliver_webhook": [delivery.pk],
    }
    assert deliver_webhook.call(delivery.pk) == "succeeded"
    assert deliver_webhook.call(delivery.pk) == "succeeded"
    (request,) = receiver.requests
    headers = {k.lower(): v for k, v in request.headers.items()}
    assert verify(
        subscription.secret,
        headers["x-standards-signature"],
        headers["x-standards-timestamp"],
        request.body,
        now=int(headers["x-standards-timestamp"]),
    )
    event = json.loads(request.body)
    assert event["data"]["item"]["name"] == "食品经营许可"
    assert event["data"]["snapshot_sha256"] == snapshot.sha256
    # Only the standard's public description travels, never its content fields.
    assert "content" not in json.dumps(event)
    assert "E03.08" not in request.body.decode()
