"""Delivering events to a real HTTP receiver: signature, retries, the log, once per publication."""

import datetime
import hashlib
import hmac
import json
import time
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from django.tasks import default_task_backend
from django.test import override_settings
from django.urls import reverse
from django.utils import timezone

from standards.roles import Role
from subscriptions.delivery import retry_delay
from subscriptions.models import DeliveryAttempt, WebhookDelivery, WebhookSubscription
from subscriptions.signing import verify
from subscriptions.tasks import deliver_webhook

from .conftest import person, publish

IMMEDIATE = {"default": {"BACKEND": "django.tasks.backends.immediate.ImmediateBackend"}}


def subscribe(url, department=None, **fields):
    return WebhookSubscription.objects.create(
        url=url,
        department=department,
        created_by=person(Role.ADMINISTRATOR),
        **fields,
    )


@pytest.fixture
def clear_tasks():
    default_task_backend.clear()
    yield
    default_task_backend.clear()


@pytest.mark.django_db(transaction=False)
def test_a_publication_is_delivered_signed_as_documented(
    receiver, department, django_capture_on_commit_callbacks
):
    subscription = subscribe(receiver.url, department)
    with (
        override_settings(TASKS=IMMEDIATE),
        django_capture_on_commit_callbacks(execute=True),
    ):
        published = publish(department, name="食品经营许可", change_note="承诺时限缩短")

    (request,) = receiver.requests
    assert request.path == "/hooks/standards?source=test"
    headers = {name.lower(): value for name, value in request.headers.items()}
    timestamp = headers["x-standards-timestamp"]
    assert abs(time.time() - int(timestamp)) < 60
    # The documented scheme, computed here independently of the sending code.
    expected = hmac.new(
        subscription.secret.encode(), timestamp.encode() + b"." + request.body, hashlib.sha256
    ).hexdigest()
    assert headers["x-standards-signature"] == f"v1={expected}"
    assert verify(
        subscription.secret, headers["x-standards-signature"], timestamp, request.body,
        now=time.time(),
    )  # fmt: skip
    assert not verify("whsec_wrong", headers["x-standards-signature"], timestamp, request.body,
                      now=time.time())  # fmt: skip
    # A replay later than the tolerance is refused even with a valid signature.
    assert not verify(
        subscription.secret, headers["x-standards-signature"], timestamp, request.body,
        now=int(timestamp) + 301,
    )  # fmt: skip
    assert headers["content-type"] == "application/json; charset=utf-8"

    event = json.loads(request.body)
    item = published.version.standard.item
    assert headers["x-standards-event"] == event["type"] == "standard.published"
    assert headers["x-standards-event-id"] == event["id"]
    data = event["data"]
    assert data["item"] == {"basic_code": item.basic_code, "name": "食品经营许可"}
    assert data["department"]["code"] == department.code
    assert data["standard"]["id"] == published.version.standard_id
    assert data["version"]["number"] == 1
    assert data["version"]["change_note"] == "承诺时限缩短"
    assert data["snapshot_sha256"] == published.sha256
    assert data["published_at"] == published.published_at.isoformat()
    assert data["links"]["guide"].endswith(
        reverse("guides:guide", args=[item.basic_code, department.code])
    )
    assert data["links"]["api"].startswith("http")

    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    (attempt,) = delivery.attempts.all()
    assert (attempt.number, attempt.status_code, attempt.succeeded) == (1, 200, True)
    assert attempt.response_excerpt == '{"ok": true}'
    assert attempt.error == ""


@pytest.mark.django_db
def test_the_receiver_is_called_once_per_publication(
    receiver, department, other_department, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, department)
    with (
        override_settings(TASKS=IMMEDIATE),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(department)
        publish(other_department)  # another department's publication: not for this receiver
    assert len(receiver.requests) == 1
    # The task running again (a duplicate in the queue) sends nothing more.
    delivery = WebhookDelivery.objects.get()
    assert deliver_webhook.call(delivery.pk) == "succeeded"
    assert len(receiver.requests) == 1
    assert delivery.attempts.count() == 1


@pytest.mark.django_db
def test_an_all_departments_subscription_receives_every_publication(
    receiver, department, other_department, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, None)
    subscribe(receiver.url, department, is_active=False)  # switched off: nothing
    with (
        override_settings(TASKS=IMMEDIATE),
        django_capture_on_commit_callbacks(execute=True),
    ):
        publish(department)
        publish(other_department)
    codes = [json.loads(r.body)["data"]["department"]["code"] for r in receiver.requests]
    assert codes == [department.code, other_department.code]


@pytest.mark.django_db
def test_a_rolled_back_publication_announces_nothing(
    receiver, department, django_capture_on_commit_callbacks
):
    subscribe(receiver.url, department)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        try:
            with transaction.atomic():
                publish(department)
                raise RuntimeError("publication failed")
        except RuntimeError:
            pass
    assert callbacks == []
    assert not WebhookDelivery.objects.exists()
    assert receiver.requests == []


@pytest.mark.django_db
def test_publishing_queues_the_delivery_after_commit(
    receiver, department, django_capture_on_commit_callbacks, clear_tasks
):
    subscribe(receiver.url, department)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        publish(department)
    # Written in the publishing transaction, queued only when it commits.
    delivery = WebhookDelivery.objects.get()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert default_task_backend.results == []
    for callback in callbacks:
        callback()
    assert [list(r.args) for r in default_task_backend.results] == [[delivery.pk]]
    assert receiver.requests == []  # the dummy backend runs nothing


@pytest.mark.django_db
def test_a_server_error_is_retried_with_backoff_then_succeeds(
    receiver, department, settings, clear_tasks
):
    receiver.statuses = [500, 200]
    receiver.response_body = b"internal error " * 100
    subscription = subscribe(receiver.url, department)
    delivery = WebhookDelivery.objects.get(pk=_deliveries_for(subscription, department)[0])

    before = timezone.now()
    assert deliver_webhook.call(delivery.pk) == "pending"
    delivery.refresh_from_db()
    assert delivery.attempt_count == 1
    assert delivery.last_status_code == 500
    # The retry is queued to run after the first backoff step (60 s by default).
    (retry,) = default_task_backend.results
    assert list(retry.args) == [delivery.pk]
    assert retry.task.run_after == delivery.next_attempt_at
    assert before + datetime.timedelta(seconds=60) <= delivery.next_attempt_at
    assert delivery.next_attempt_at <= timezone.now() + datetime.timedelta(seconds=60)

    # Run early (e.g. a duplicate task), it does nothing.
    assert deliver_webhook.call(delivery.pk) == "pending"
    assert len(receiver.requests) == 1

    WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
    assert deliver_webhook.call(delivery.pk) == "succeeded"
    assert len(receiver.requests) == 2
    assert receiver.requests[0].body == receiver.requests[1].body  # same event, same body

    attempts = list(DeliveryAttempt.objects.filter(delivery=delivery).order_by("number"))
    assert [(a.number, a.status_code, a.succeeded) for a in attempts] == [
        (1, 500, False),
        (2, 200, True),
    ]
    assert attempts[0].error == "HTTP 500"
    assert len(attempts[0].response_excerpt) == 500  # truncated
    assert attempts[0].response_excerpt.startswith("internal error")
    assert all(a.duration_ms >= 0 for a in attempts)


def test_backoff_doubles(settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 30
    assert [retry_delay(n).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]


@pytest.mark.django_db
def test_delivery_gives_up_after_the_maximum_attempts(receiver, department, settings):
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0
    settings.WEBHOOK_MAX_ATTEMPTS = 3
    receiver.statuses = [503]
    subscription = subscribe(receiver.url, department)
    (delivery_id,) = _deliveries_for(subscription, department)
    results = [deliver_webhook.call(delivery_id) for _ in range(4)]
    assert results == ["pending", "pending", "failed", "failed"]
    assert len(receiver.requests) == 3
    assert DeliveryAttempt.objects.filter(delivery_id=delivery_id).count() == 3


@pytest.mark.django_db
def test_redirects_are_not_followed(receiver, department):
    receiver.statuses = [302]
    receiver.headers = {"Location": "http://169.254.169.254/latest/meta-data/"}
    subscription = subscribe(receiver.url, department)
    (delivery_id,) = _deliveries_for(subscription, department)
    deliver_webhook.call(delivery_id)
    attempt = DeliveryAttempt.objects.get(delivery_id=delivery_id)
    assert attempt.status_code == 302
    assert not attempt.succeeded
    assert "not followed" in attempt.error
    assert len(receiver.requests) == 1


@pytest.mark.django_db
def test_a_slow_receiver_times_out(receiver, department, settings):
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.3
    receiver.delay = 1.0
    subscription = subscribe(receiver.url, department)
    (delivery_id,) = _deliveries_for(subscription, department)
    assert deliver_webhook.call(delivery_id) == "pending"
    attempt = DeliveryAttempt.objects.get(delivery_id=delivery_id)
    assert attempt.status_code is None
    assert "timed out" in attempt.error


@pytest.mark.django_db
def test_a_connection_refused_is_logged_and_retried(department, settings):
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = True
    subscription = subscribe("http://127.0.0.1:9/hook", department)  # discard port: closed
    (delivery_id,) = _deliveries_for(subscription, department)
    assert deliver_webhook.call(delivery_id) == "pending"
    attempt = DeliveryAttempt.objects.get(delivery_id=delivery_id)
    assert attempt.status_code is None
    assert "Connection" in attempt.error or "refused" in attempt.error.lower()


@pytest.mark.django_db
def test_the_address_is_checked_again_at_delivery_time(receiver, department, settings):
    subscription = subscribe(receiver.url, department)  # registered while loopback was allowed
    (delivery_id,) = _deliveries_for(subscription, department)
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = False  # production rules
    assert deliver_webhook.call(delivery_id) == "failed"  # refused targets are not retried
    attempt = DeliveryAttempt.objects.get(delivery_id=delivery_id)
    assert "https://" in attempt.error
    assert receiver.requests == []


@pytest.mark.django_db
def test_a_switched_off_subscription_gets_nothing(receiver, department):
    subscription = subscribe(receiver.url, department)
    (delivery_id,) = _deliveries_for(subscription, department)
    WebhookSubscription.objects.filter(pk=subscription.pk).update(is_active=False)
    assert deliver_webhook.call(delivery_id) == "cancelled"
    assert receiver.requests == []


def _deliveries_for(subscription, department):
    publish(department)
    return list(subscription.deliveries.values_list("pk", flat=True))


@pytest.mark.django_db
def test_https_checks_the_certificate_of_the_host_name(tls_receiver, department):
    subscription = subscribe(tls_receiver.url, department)
    (delivery_id,) = _deliveries_for(subscription, department)
    assert deliver_webhook.call(delivery_id) == "succeeded"
    (request,) = tls_receiver.requests
    # Connected to the vetted address, yet Host and the TLS name are the host name.
    assert request.headers["Host"].startswith("localhost:")


@pytest.mark.django_db
def test_https_refuses_a_certificate_for_another_name(tls_receiver, department):
    # The certificate names "localhost"; the address 127.0.0.1 does not match it.
    url = tls_receiver.url.replace("localhost", "127.0.0.1")
    subscription = subscribe(url, department)
    (delivery_id,) = _deliveries_for(subscription, department)
    assert deliver_webhook.call(delivery_id) == "pending"
    attempt = DeliveryAttempt.objects.get(delivery_id=delivery_id)
    assert "CERTIFICATE_VERIFY_FAILED" in attempt.error or "certificate" in attempt.error.lower()
    assert tls_receiver.requests == []


@pytest.mark.django_db
def test_a_backend_that_cannot_defer_leaves_retries_to_the_command(
    receiver, department, django_capture_on_commit_callbacks
):
    receiver.statuses = [500, 200]
    subscription = subscribe(receiver.url, department)
    with override_settings(TASKS=IMMEDIATE):
        with django_capture_on_commit_callbacks(execute=True):
            publish(department)
        delivery = subscription.deliveries.get()
        assert delivery.status == WebhookDelivery.Status.PENDING  # no error from run_after
        out = StringIO()
        call_command("deliver_pending_webhooks", stdout=out)
        assert out.getvalue().startswith("0 ")  # not due yet
        WebhookDelivery.objects.filter(pk=delivery.pk).update(next_attempt_at=timezone.now())
        call_command("deliver_pending_webhooks", stdout=out)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.SUCCEEDED
    first, second = receiver.requests
    assert first.body == second.body
