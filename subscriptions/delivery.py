"""Creating deliveries, making one attempt, and scheduling the next.

Retries back off exponentially: after the n-th failed attempt of a round the
next one waits `WEBHOOK_RETRY_BASE_SECONDS × 2^(n-1)` (1, 2, 4, 8, 16 minutes by
default) until `WEBHOOK_MAX_ATTEMPTS`; then the delivery is failed and can be
redelivered by hand from the staff page.
"""

from __future__ import annotations

import datetime
import logging
import uuid
from collections.abc import Iterable

from django.conf import settings
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from standards.models import PublishedSnapshot

from . import events
from .models import DeliveryAttempt, WebhookDelivery, WebhookSubscription
from .outgoing import post_signed, timeout_seconds

logger = logging.getLogger(__name__)
Status = WebhookDelivery.Status


def max_attempts() -> int:
    return int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 6))


def retry_delay(failed_attempts: int) -> datetime.timedelta:
    base = float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 60))
    return datetime.timedelta(seconds=base * 2 ** max(failed_attempts - 1, 0))


def subscribers_of(snapshot: PublishedSnapshot) -> Iterable[WebhookSubscription]:
    department_id = snapshot.version.standard.department_id
    return WebhookSubscription.objects.filter(is_active=True).filter(
        Q(department__isnull=True) | Q(department_id=department_id)
    )


def record_publication(snapshot: PublishedSnapshot) -> list[int]:
    """One pending delivery per interested subscription; the caller's transaction holds them."""
    event_id = uuid.uuid4()
    body = events.encode(events.publication_event(snapshot, event_id))
    now = timezone.now()
    created = WebhookDelivery.objects.bulk_create(
        [
            WebhookDelivery(
                subscription=subscription,
                event_id=event_id,
                event_type=events.PUBLISHED,
                snapshot=snapshot,
                body=body,
                next_attempt_at=now,
            )
            for subscription in subscribers_of(snapshot)
        ]
    )
    return [delivery.pk for delivery in created]


def record_test_event(subscription: WebhookSubscription) -> WebhookDelivery:
    event_id = uuid.uuid4()
    return WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=event_id,
        event_type=events.TEST,
        body=events.encode(events.test_event(event_id)),
        next_attempt_at=timezone.now(),
    )


def restart(delivery: WebhookDelivery) -> bool:
    """Send a finished delivery again (same event id and body), with a fresh retry budget."""
    restarted = WebhookDelivery.objects.filter(
        pk=delivery.pk, status__in=[Status.SUCCEEDED, Status.FAILED, Status.CANCELLED]
    ).update(
        status=Status.PENDING,
        round_attempts=0,
        next_attempt_at=timezone.now(),
        completed_at=None,
    )
    return bool(restarted)


def enqueue_after_commit(delivery_ids: list[int]) -> None:
    if delivery_ids:
        transaction.on_commit(lambda: enqueue(delivery_ids))


def enqueue(delivery_ids: list[int], run_after: datetime.datetime | None = None) -> None:
    """Hand deliveries to the task queue. A failure leaves them pending for
    `manage.py deliver_pending_webhooks`, never breaks the caller."""
    from .tasks import deliver_webhook  # the task module imports this one

    task = deliver_webhook
    if run_after is not None:
        if not task.get_backend().supports_defer:
            return  # left pending: the command picks it up when it is due
        task = task.using(run_after=run_after)
    for delivery_id in delivery_ids:
        try:
            task.enqueue(delivery_id)
        except Exception:
            logger.exception("Could not enqueue webhook delivery %s", delivery_id)


def attempt(delivery_id: int) -> str:
    """Make one attempt if the delivery is due and nobody else is sending it; the new status."""
    now = timezone.now()
    # Long enough for one request (connect + read timeouts) before another worker may retry.
    claim = now + 4 * datetime.timedelta(seconds=timeout_seconds())
    claimed = (
        WebhookDelivery.objects.filter(pk=delivery_id, status=Status.PENDING)
        .filter(Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now))
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .update(claimed_until=claim)
    )
    delivery = WebhookDelivery.objects.select_related("subscription").filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    if not claimed:
        return str(delivery.status)
    subscription = delivery.subscription
    if not subscription.is_active:
        _finish(delivery, Status.CANCELLED)
        return str(delivery.status)

    outcome = post_signed(
        subscription.url,
        subscription.secret,
        delivery.body.encode(),
        {
            "X-Standards-Event": delivery.event_type,
            "X-Standards-Event-Id": str(delivery.event_id),
            "X-Standards-Delivery": str(delivery.pk),
        },
    )
    delivery.attempt_count += 1
    delivery.round_attempts += 1
    DeliveryAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempt_count,
        started_at=now,
        duration_ms=outcome.duration_ms,
        status_code=outcome.status_code,
        error=outcome.error[:500],
        response_excerpt=outcome.response_excerpt,
        succeeded=outcome.succeeded,
    )
    delivery.last_status_code = outcome.status_code
    if outcome.succeeded:
        _finish(delivery, Status.SUCCEEDED)
    elif outcome.permanent or delivery.round_attempts >= max_attempts():
        _finish(delivery, Status.FAILED)
    else:
        delivery.next_attempt_at = now + retry_delay(delivery.round_attempts)
        delivery.claimed_until = None
        delivery.save(
            update_fields=[
                "attempt_count", "round_attempts", "last_status_code", "next_attempt_at",
                "claimed_until",
            ]
        )  # fmt: skip
        enqueue([delivery.pk], run_after=delivery.next_attempt_at)
    return str(delivery.status)


def _finish(delivery: WebhookDelivery, status: str) -> None:
    delivery.status = status
    delivery.completed_at = timezone.now()
    delivery.next_attempt_at = None
    delivery.claimed_until = None
    delivery.save(
        update_fields=[
            "status", "completed_at", "next_attempt_at", "claimed_until", "attempt_count",
            "round_attempts", "last_status_code",
        ]
    )  # fmt: skip


def due_deliveries(now: datetime.datetime | None = None) -> list[int]:
    """Pending deliveries whose time has come and that no worker holds."""
    now = now or timezone.now()
    return list(
        WebhookDelivery.objects.filter(status=Status.PENDING, next_attempt_at__lte=now)
        .filter(Q(claimed_until__isnull=True) | Q(claimed_until__lt=now))
        .values_list("pk", flat=True)
    )
