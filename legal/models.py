"""Laws and regulations as shared records, who cites them, and what a change flags.

A `Law` (one title) has `LawVersion`s (each promulgation or revision; a repeal
is recorded as a version too, without articles) and each version its
`Article`s. A `Citation` ties one legal-basis row of a standard version to the
law version and article it cites: the legal-basis content model stays
registry-driven (ADR 2), so the tie lives here, keyed by the row's version and
uid. A `LawChangeFlag` tells a department that a law its standard cites was
amended or repealed; it changes state only in `legal.services.flags`.
"""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from standards.models import Standard, StandardVersion
from standards.models.fields import CodeField

from .normalise import article_label, law_key


class Law(models.Model):
    """One law, regulation or rule, under its official title."""

    name = models.CharField(
        _("title"), max_length=200, help_text=_("The official title, without 《》.")
    )
    # What matching compares (legal.normalise.law_key); kept in step by save().
    key = models.CharField(_("matching key"), max_length=200, unique=True, editable=False)
    level = CodeField(_("legal level"), codelist="law_level", blank=False)
    issuing_authority = models.CharField(_("issuing authority"), max_length=200)

    history = HistoricalRecords()

    class Meta:
        ordering = ["level", "name"]
        verbose_name = _("law or regulation")
        verbose_name_plural = _("laws and regulations")

    def __str__(self) -> str:
        return f"《{self.name}》"

    def save(self, *args: Any, **kwargs: Any) -> None:
        self.name = self.name.strip().strip("《》")
        self.key = law_key(self.name)
        update_fields = kwargs.get("update_fields")
        if isinstance(update_fields, (list, tuple, set, frozenset)) and "name" in update_fields:
            kwargs["update_fields"] = {*update_fields, "key"}
        super().save(*args, **kwargs)


class LawVersionQuerySet(models.QuerySet["LawVersion"]):
    def in_force(self) -> LawVersionQuerySet:
        return self.filter(status=LawVersion.Status.IN_FORCE)

    def citable(self) -> LawVersionQuerySet:
        """Versions with a text: everything but the records of a repeal."""
        return self.exclude(status=LawVersion.Status.REPEALED, superseded_by__isnull=True)


class LawVersion(models.Model):
    """One promulgated text of a law (or the record of its repeal)."""

    class Status(models.TextChoices):
        IN_FORCE = "in_force", _("In force")
        AMENDED = "amended", _("Amended")
        REPEALED = "repealed", _("Repealed")

    law = models.ForeignKey(
        Law, on_delete=models.PROTECT, related_name="versions", verbose_name=_("law")
    )
    document_number = models.CharField(_("document number"), max_length=200)
    issuing_authority = models.CharField(_("issuing authority"), max_length=200)
    promulgated_on = models.DateField(_("promulgated or revised on"))
    effective_on = models.DateField(_("effective from"), null=True, blank=True)
    status = models.CharField(_("status"), max_length=16, choices=Status, default=Status.IN_FORCE)
    superseded_by = models.OneToOneField(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="supersedes",
        verbose_name=_("superseded by"),
    )
    note = models.CharField(_("note"), max_length=200, blank=True)
    created_at = models.DateTimeField(_("entered at"), auto_now_add=True)

    objects = LawVersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["law", "-promulgated_on"]
        verbose_name = _("law version")
        verbose_name_plural = _("law versions")
        constraints = [
            models.UniqueConstraint(
                fields=["law", "promulgated_on"], name="law_version_unique_date"
            ),
            models.UniqueConstraint(
                fields=["law"],
                condition=Q(status="in_force"),
                name="law_version_one_in_force",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["in_force", "amended", "repealed"]),
                name="law_version_status_valid",
            ),
            # A version in force has not been superseded; an amended one has.
            models.CheckConstraint(
                condition=~Q(status="in_force") | Q(superseded_by__isnull=True),
                name="law_version_in_force_not_superseded",
            ),
            models.CheckConstraint(
                condition=Q(effective_on__isnull=True)
                | Q(effective_on__gte=models.F("promulgated_on")),
                name="law_version_effective_after_promulgation",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.law} ({self.promulgated_on:%Y-%m-%d}, {self.get_status_display()})"

    @property
    def is_repeal_record(self) -> bool:
        """The record of a repeal: it has no text of its own and supersedes the last text."""
        return self.status == self.Status.REPEALED and self.superseded_by_id is None


class Article(models.Model):
    """One article of a law version, numbered as in the text and as an integer."""

    law_version = models.ForeignKey(
        LawVersion, on_delete=models.CASCADE, related_name="articles", verbose_name=_("version")
    )
    ordinal = models.PositiveIntegerField(_("article (number)"))
    number = models.CharField(
        _("article"), max_length=30, blank=True, help_text=_("As written, e.g. 第三十五条.")
    )
    text = models.TextField(_("text"))

    history = HistoricalRecords()

    class Meta:
        ordering = ["law_version", "ordinal"]
        verbose_name = _("article")
        verbose_name_plural = _("articles")
        constraints = [
            models.UniqueConstraint(
                fields=["law_version", "ordinal"], name="article_unique_per_version"
            ),
            models.CheckConstraint(condition=Q(ordinal__gte=1), name="article_ordinal_positive"),
        ]

    def __str__(self) -> str:
        return self.number

    def save(self, *args: Any, **kwargs: Any) -> None:
        if not self.number:
            self.number = article_label(self.ordinal)
        super().save(*args, **kwargs)


class Citation(models.Model):
    """A legal-basis row of a standard version, tied to the law version (and article) it cites.

    Written by the matcher (`legal.services.citations`); never typed by hand.
    """

    version = models.ForeignKey(
        StandardVersion, on_delete=models.CASCADE, related_name="law_citations"
    )
    row_uid = models.UUIDField(_("legal-basis row"))
    law_version = models.ForeignKey(
        LawVersion,
        on_delete=models.PROTECT,
        related_name="citations",
        verbose_name=_("law version"),
    )
    # The first article the row names, when the library has it.
    article = models.ForeignKey(
        Article,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="citations",
        verbose_name=_("article"),
    )
    linked_at = models.DateTimeField(_("linked at"), auto_now=True)

    class Meta:
        ordering = ["version", "law_version"]
        verbose_name = _("citation")
        verbose_name_plural = _("citations")
        constraints = [
            models.UniqueConstraint(fields=["version", "row_uid"], name="citation_unique_row"),
        ]

    def __str__(self) -> str:
        return f"{self.version} → {self.law_version}"


class FlagQuerySet(models.QuerySet["LawChangeFlag"]):
    def open(self) -> FlagQuerySet:
        return self.filter(state=LawChangeFlag.State.OPEN)

    def for_department(self, department_id: int) -> FlagQuerySet:
        return self.filter(standard__department_id=department_id)


class LawChangeFlag(models.Model):
    """A standard cites a law version that has been amended or repealed."""

    class State(models.TextChoices):
        OPEN = "open", _("Open")
        RESOLVED = "resolved", _("Resolved by a new publication")
        DISMISSED = "dismissed", _("Dismissed")

    standard = models.ForeignKey(
        Standard,
        on_delete=models.CASCADE,
        related_name="law_change_flags",
        verbose_name=_("standard"),
    )
    old_law_version = models.ForeignKey(
        LawVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("version cited")
    )
    new_law_version = models.ForeignKey(
        LawVersion, on_delete=models.PROTECT, related_name="+", verbose_name=_("new version")
    )
    # The fields concerned: [{"version", "group", "code", "row_uid", "row", "via"}]
    # — the legal-basis rows citing the old version and every field referring to them.
    fields = models.JSONField(_("fields concerned"), default=list)
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.OPEN)
    created_at = models.DateTimeField(_("flagged at"), auto_now_add=True)
    closed_at = models.DateTimeField(_("closed at"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("closed by"),
    )
    resolved_by_version = models.ForeignKey(
        StandardVersion,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("resolved by version"),
    )
    dismissal_reason = models.TextField(_("reason for dismissing"), blank=True)

    objects = FlagQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("law change flag")
        verbose_name_plural = _("law change flags")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "old_law_version", "new_law_version"],
                name="law_change_flag_unique",
            ),
            models.CheckConstraint(
                condition=Q(state__in=["open", "resolved", "dismissed"]),
                name="law_change_flag_state_valid",
            ),
            models.CheckConstraint(
                condition=~Q(state="dismissed") | ~Q(dismissal_reason=""),
                name="law_change_flag_dismissal_has_reason",
            ),
            models.CheckConstraint(
                condition=~Q(state="resolved") | Q(resolved_by_version__isnull=False),
                name="law_change_flag_resolution_has_version",
            ),
        ]
        indexes = [models.Index(fields=["standard", "state"], name="law_change_flag_open")]

    def __str__(self) -> str:
        return f"{self.standard} · {self.old_law_version}"
