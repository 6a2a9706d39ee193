"""A standard (one item, one department, one region) and its versions.

Content lives in the content models (one per registry group) keyed to a
version. The version's `state` changes only through the workflow services;
a database constraint limits it to the states below.
"""

from typing import Any

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from .catalogue import ApprovalItem, Department, Region


class StandardQuerySet(models.QuerySet["Standard"]):
    def for_department(self, department: Department) -> "StandardQuerySet":
        return self.filter(department=department)


class Standard(models.Model):
    """How one department in one region implements one approval item."""

    item = models.ForeignKey(
        ApprovalItem, on_delete=models.PROTECT, related_name="standards", verbose_name=_("item")
    )
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="standards",
        verbose_name=_("implementing department"),
    )
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="standards", verbose_name=_("region")
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)

    objects = StandardQuerySet.as_manager()

    class Meta:
        ordering = ["item__basic_code", "region__code"]
        verbose_name = _("standard")
        verbose_name_plural = _("standards")
        constraints = [
            models.UniqueConstraint(
                fields=["item", "department", "region"],
                name="standard_unique_item_department_region",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.item.name} · {self.department.name}"


class VersionState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    SUBMITTED = "submitted", _("Submitted for filing")
    IN_REVIEW = "in_review", _("In review")
    RETURNED = "returned", _("Returned for revision")
    FILED = "filed", _("Filed")
    CONFIRMED = "confirmed", _("Confirmed by the department")
    PUBLISHED = "published", _("Published")
    SUPERSEDED = "superseded", _("Superseded")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# A standard has at most one version on its way to publication.
OPEN_STATES = (
    VersionState.DRAFT,
    VersionState.SUBMITTED,
    VersionState.IN_REVIEW,
    VersionState.RETURNED,
    VersionState.FILED,
    VersionState.CONFIRMED,
)


# Content may change only while the department holds the version.
EDITABLE_STATES = (VersionState.DRAFT, VersionState.RETURNED)


class VersionQuerySet(models.QuerySet["StandardVersion"]):
    def open(self) -> "VersionQuerySet":
        return self.filter(state__in=OPEN_STATES)

    def published(self) -> "VersionQuerySet":
        return self.filter(state=VersionState.PUBLISHED)

    def for_department(self, department: Department) -> "VersionQuerySet":
        return self.filter(standard__department=department)


class StandardVersion(models.Model):
    State = VersionState
    OPEN_STATES = OPEN_STATES

    standard = models.ForeignKey(
        Standard, on_delete=models.CASCADE, related_name="versions", verbose_name=_("standard")
    )
    number = models.PositiveIntegerField(_("version number"))
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.DRAFT)
    effective_from = models.DateField(_("effective from"), null=True, blank=True)
    effective_to = models.DateField(_("effective to"), null=True, blank=True)
    edit_count = models.PositiveIntegerField(
        _("edit counter"),
        default=0,
        help_text=_("Raised by every save; a save based on an older count is refused."),
    )
    change_note = models.TextField(_("change note"), blank=True)
    # Kept up to date by every save (see standards.services.drafting) so that
    # lists and the editor's navigation show progress without reading content.
    completeness = models.JSONField(
        _("completeness by section"), default=dict, blank=True, editable=False
    )
    completeness_percent = models.PositiveSmallIntegerField(
        _("completeness (%)"), default=0, editable=False
    )
    last_edited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("last edited by"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("created by"),
    )
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    objects = VersionQuerySet.as_manager()
    history = HistoricalRecords()

    class Meta:
        ordering = ["standard", "-number"]
        verbose_name = _("standard version")
        verbose_name_plural = _("standard versions")
        constraints = [
            models.UniqueConstraint(
                fields=["standard", "number"], name="version_number_unique_per_standard"
            ),
            models.UniqueConstraint(
                fields=["standard"],
                condition=Q(state__in=OPEN_STATES),
                name="one_open_version_per_standard",
            ),
            models.CheckConstraint(
                condition=Q(state__in=VersionState.values),
                name="version_state_valid",
            ),
            # A version withdrawn before it took effect ends before it starts.
            models.CheckConstraint(
                condition=Q(effective_to__isnull=True)
                | Q(effective_from__isnull=True)
                | Q(effective_to__gte=models.F("effective_from"))
                | Q(state=VersionState.WITHDRAWN),
                name="version_effective_range_ordered",
            ),
            models.CheckConstraint(condition=Q(number__gte=1), name="version_number_positive"),
            models.CheckConstraint(
                condition=Q(completeness_percent__lte=100), name="version_completeness_percent_max"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.standard} v{self.number}"

    @property
    def is_editable(self) -> bool:
        return self.state in EDITABLE_STATES

    def section(self, group: str) -> Any:
        """The single row of a single-valued registry group, or None."""
        from standards.registry import REGISTRY

        model = REGISTRY.group(group).model
        return model._default_manager.filter(version=self).first()

    def rows(self, group: str) -> models.QuerySet[Any]:
        """The rows of a repeating registry group, in order."""
        from standards.registry import REGISTRY

        return REGISTRY.group(group).model._default_manager.filter(version=self)
