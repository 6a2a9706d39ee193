"""Read-only view of subscriptions and deliveries for administrators.

Subscriptions are registered on the staff pages, where the secret is shown once;
the admin never shows it.
"""

from typing import Any

from django.contrib import admin
from django.http import HttpRequest

from .models import DeliveryAttempt, WebhookDelivery, WebhookSubscription


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookSubscription)
class WebhookSubscriptionAdmin(ReadOnlyAdmin):
    list_display = ["url", "department", "is_active", "created_by", "created_at"]
    list_filter = ["is_active"]
    exclude = ["secret"]


class AttemptInline(admin.TabularInline):
    model = DeliveryAttempt
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = ["event_type", "event_id", "subscription", "status", "attempt_count"]
    list_filter = ["status", "event_type"]
    list_select_related = ["subscription"]
    inlines = [AttemptInline]
