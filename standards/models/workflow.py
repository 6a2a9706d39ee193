"""What the workflow records: transitions, review rounds and comments,
published snapshots and notifications.

The state of a version changes only in `standards.services.workflow`; these
models keep the trail of those changes.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .standard import StandardVersion, VersionState


class TransitionLog(models.Model):
    """One state change of a version: who, when, from, to, why."""

    version = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="transitions"
    )
    action = models.CharField(_("action"), max_length=32)
    from_state = models.CharField(_("from state"), max_length=16, choices=VersionState)
    to_state = models.CharField(_("to state"), max_length=16, choices=VersionState)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("actor"),
    )
    at = models.DateTimeField(_("time"), default=timezone.now)
    reason = models.TextField(_("reason"), blank=True)

    class Meta:
        ordering = ["at", "id"]
        verbose_name = _("transition")
        verbose_name_plural = _("transitions")

    def __str__(self) -> str:
        return f"{self.version} {self.from_state} → {self.to_state}"


class ReviewRound(models.Model):
    """One submission of a version for filing review, and its outcome."""

    class Outcome(models.TextChoices):
        OPEN = "open", _("Open")
        RETURNED = "returned", _("Returned for revision")
        APPROVED = "approved", _("Filing approved")

    version = models.ForeignKey(StandardVersion, on_delete=models.CASCADE, related_name="rounds")
    number = models.PositiveIntegerField(_("round"))
    submitted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    submitted_at = models.DateTimeField(_("submitted at"), default=timezone.now)
    # The content as submitted, so the next round can show what changed since.
    submitted_content = models.JSONField(_("content as submitted"))
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    review_started_at = models.DateTimeField(_("review started at"), null=True, blank=True)
    outcome = models.CharField(_("outcome"), max_length=16, choices=Outcome, default=Outcome.OPEN)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)

    class Meta:
        ordering = ["version", "number"]
        verbose_name = _("review round")
        verbose_name_plural = _("review rounds")
        constraints = [
            models.UniqueConstraint(
                fields=["version", "number"], name="review_round_unique_number"
            ),
            models.UniqueConstraint(
                fields=["version"],
                condition=models.Q(outcome="open"),
                name="one_open_round_per_version",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.version} · round {self.number}"


class ReviewComment(models.Model):
    """A reviewer's comment anchored to a field (and a row), with the department's answer."""

    class Reason(models.TextChoices):
        LEGAL_BASIS = "legal_basis", _("Missing or wrong legal basis")
        CATCH_ALL = "catch_all", _("Catch-all clause")
        NEEDLESS_CERTIFICATE = "needless_certificate", _("Needless certificate")
        TIME_LIMIT = "time_limit", _("Time limit")
        FEE_BASIS = "fee_basis", _("Fee basis")
        WORDING = "wording", _("Wording")
        OTHER = "other", _("Other")

    class Severity(models.TextChoices):
        MUST_FIX = "must_fix", _("Must be fixed")
        SUGGESTION = "suggestion", _("Suggestion")

    class Answer(models.TextChoices):
        FIXED = "fixed", _("Fixed")
        EXPLAINED = "explained", _("Not changed, explained")

    review_round = models.ForeignKey(ReviewRound, on_delete=models.CASCADE, related_name="comments")
    field_code = models.CharField(_("field"), max_length=8)
    row_id = models.CharField(_("row"), max_length=36, blank=True)
    reason = models.CharField(_("reason"), max_length=24, choices=Reason)
    severity = models.CharField(
        _("severity"), max_length=16, choices=Severity, default=Severity.MUST_FIX
    )
    text = models.TextField(_("comment"))
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    answer = models.CharField(_("answer"), max_length=16, choices=Answer, blank=True)
    answer_text = models.TextField(_("explanation"), blank=True)
    answered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)

    class Meta:
        ordering = ["review_round", "field_code", "id"]
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(answer="explained") | ~models.Q(answer_text=""),
                name="explained_answer_has_text",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field_code}: {self.text[:30]}"

    @property
    def answered(self) -> bool:
        return bool(self.answer)


def canonical_json(data: Any) -> bytes:
    """The one byte form of a snapshot that its hash is taken over."""
    return json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":")).encode()


class ImmutableSnapshotError(Exception):
    """A published snapshot was about to be changed or deleted."""


class PublishedSnapshotQuerySet(models.QuerySet["PublishedSnapshot"]):
    def update(self, **kwargs: Any) -> int:
        raise ImmutableSnapshotError("Published snapshots cannot be changed.")

    def delete(self) -> Any:
        raise ImmutableSnapshotError("Published snapshots cannot be deleted.")


class PublishedSnapshot(models.Model):
    """The immutable content of a published version (see ADR 3)."""

    version = models.OneToOneField(
        StandardVersion, on_delete=models.PROTECT, related_name="published_snapshot"
    )
    schema_version = models.PositiveSmallIntegerField(_("schema version"))
    data = models.JSONField(_("snapshot"))
    sha256 = models.CharField(_("SHA-256 of the canonical JSON"), max_length=64)
    published_at = models.DateTimeField(_("published at"), default=timezone.now)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )

    objects = PublishedSnapshotQuerySet.as_manager()

    class Meta:
        verbose_name = _("published snapshot")
        verbose_name_plural = _("published snapshots")

    def __str__(self) -> str:
        return f"{self.version} ({self.sha256[:12]})"

    def save(self, *args: Any, **kwargs: Any) -> None:
        if self.pk is not None or not self._state.adding:
            raise ImmutableSnapshotError("Published snapshots cannot be changed.")
        self.sha256 = hashlib.sha256(canonical_json(self.data)).hexdigest()
        super().save(*args, **kwargs)

    def delete(self, *args: Any, **kwargs: Any) -> Any:
        raise ImmutableSnapshotError("Published snapshots cannot be deleted.")

    def verify(self) -> bool:
        return hashlib.sha256(canonical_json(self.data)).hexdigest() == self.sha256


class Notification(models.Model):
    """An entry in a user's inbox about a version."""

    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications"
    )
    version = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="notifications"
    )
    action = models.CharField(_("action"), max_length=32)
    message = models.TextField(_("message"))
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    read_at = models.DateTimeField(_("read at"), null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        indexes = [models.Index(fields=["recipient", "read_at"], name="notification_inbox")]

    def __str__(self) -> str:
        return self.message[:50]
