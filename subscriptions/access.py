"""Who may manage which webhook subscriptions — denied unless a rule here allows it.

- Department staff and leaders manage their own department's subscriptions,
  which announce that department's publications only.
- Administrators manage every subscription, including those announcing the
  publications of all departments (for platforms such as the online service hall).
- Everybody else (reviewers, anonymous users) has no access.

A subscription outside the user's scope is a 404, so its existence is not revealed.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.db.models import QuerySet
from django.http import Http404

from standards.access import department_of, roles_of
from standards.models import Department
from standards.roles import Role

from .models import WebhookSubscription


def is_administrator(user: Any) -> bool:
    return bool(user.is_active and (user.is_superuser or Role.ADMINISTRATOR in roles_of(user)))


def may_manage_webhooks(user: Any) -> bool:
    return is_administrator(user) or department_of(user) is not None


def manageable(user: Any) -> QuerySet[WebhookSubscription]:
    if is_administrator(user):
        return WebhookSubscription.objects.all()
    department = department_of(user)
    if department is None:
        return WebhookSubscription.objects.none()
    return WebhookSubscription.objects.filter(department=department)


def subscription_for(user: Any, pk: int) -> WebhookSubscription:
    if not may_manage_webhooks(user):
        raise PermissionDenied
    found = manageable(user).select_related("department", "created_by").filter(pk=pk).first()
    if found is None:
        raise Http404
    return found


def fixed_department(user: Any) -> Department | None:
    """The department a non-administrator's new subscription is bound to."""
    return None if is_administrator(user) else department_of(user)
