"""Staff pages for webhook subscriptions: list, register, details with the
delivery log, send a test event, redeliver, switch on and off."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Max, Prefetch, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import delivery as deliveries
from . import signing
from .access import (
    fixed_department,
    is_administrator,
    manageable,
    may_manage_webhooks,
    subscription_for,
)
from .forms import SubscriptionForm
from .models import DeliveryAttempt, WebhookDelivery

DELIVERIES_PER_PAGE = 25
# The secret is shown once: it travels from the creating POST to the next page in the session.
SECRET_SESSION_KEY = "webhook-secret-{pk}"  # noqa: S105 (a session key name)


@login_required
def subscription_list(request: HttpRequest) -> HttpResponse:
    if not may_manage_webhooks(request.user):
        raise PermissionDenied
    subscriptions = (
        manageable(request.user)
        .select_related("department")
        .annotate(
            delivery_count=Count("deliveries"),
            failed_count=Count("deliveries", filter=Q(deliveries__status="failed")),
            last_delivery_at=Max("deliveries__created_at"),
        )
        .order_by("-created_at", "-id")
    )
    page = Paginator(subscriptions, 50).get_page(request.GET.get("page"))
    return render(request, "subscriptions/list.html", {"page": page})


@login_required
def subscription_create(request: HttpRequest) -> HttpResponse:
    if not may_manage_webhooks(request.user):
        raise PermissionDenied
    administrator = is_administrator(request.user)
    form = SubscriptionForm(request.POST or None, administrator=administrator)
    if request.method == "POST" and form.is_valid():
        subscription = form.save(commit=False)
        if not administrator:
            subscription.department = fixed_department(request.user)
        subscription.created_by = request.user
        subscription.save()
        request.session[SECRET_SESSION_KEY.format(pk=subscription.pk)] = subscription.secret
        messages.success(request, _("The subscription was registered."))
        return redirect("subscriptions:detail", pk=subscription.pk)
    return render(request, "subscriptions/form.html", {"form": form})


@login_required
def subscription_detail(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = subscription_for(request.user, pk)
    secret = request.session.pop(SECRET_SESSION_KEY.format(pk=pk), None)
    page = Paginator(
        subscription.deliveries.select_related("snapshot__version__standard__item")
        .prefetch_related(
            Prefetch("attempts", queryset=DeliveryAttempt.objects.order_by("-number"))
        )
        .order_by("-created_at", "-id"),
        DELIVERIES_PER_PAGE,
    ).get_page(request.GET.get("page"))
    context = {
        "subscription": subscription,
        "page": page,
        "secret": secret,
        "signature_header": signing.SIGNATURE_HEADER,
        "timestamp_header": signing.TIMESTAMP_HEADER,
        "tolerance": signing.TOLERANCE_SECONDS,
    }
    return render(request, "subscriptions/detail.html", context)


@login_required
@require_POST
def send_test(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = subscription_for(request.user, pk)
    if not subscription.is_active:
        messages.error(request, _("Switch the subscription on before sending a test event."))
        return redirect("subscriptions:detail", pk=pk)
    with transaction.atomic():
        test = deliveries.record_test_event(subscription)
        deliveries.enqueue_after_commit([test.pk])
    messages.success(request, _("A test event was queued for delivery."))
    return redirect("subscriptions:detail", pk=pk)


@login_required
@require_POST
def redeliver(request: HttpRequest, pk: int, delivery_pk: int) -> HttpResponse:
    subscription = subscription_for(request.user, pk)
    delivery = get_object_or_404(WebhookDelivery, pk=delivery_pk, subscription=subscription)
    if not subscription.is_active:
        messages.error(request, _("Switch the subscription on before redelivering."))
    elif deliveries.restart(delivery):
        deliveries.enqueue([delivery.pk])
        messages.success(request, _("The event was queued for delivery again."))
    else:
        messages.info(request, _("This event is already waiting to be delivered."))
    return redirect("subscriptions:detail", pk=pk)


@login_required
@require_POST
def toggle(request: HttpRequest, pk: int) -> HttpResponse:
    subscription = subscription_for(request.user, pk)
    with transaction.atomic():
        subscription.is_active = not subscription.is_active
        subscription.save(update_fields=["is_active"])
        if not subscription.is_active:
            # Nothing more is sent to a receiver that was switched off.
            subscription.deliveries.filter(status=WebhookDelivery.Status.PENDING).update(
                status=WebhookDelivery.Status.CANCELLED, next_attempt_at=None
            )
    if subscription.is_active:
        messages.success(request, _("The subscription is on."))
    else:
        messages.success(request, _("The subscription is off; pending deliveries were cancelled."))
    return redirect("subscriptions:detail", pk=pk)
