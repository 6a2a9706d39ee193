"""Adoption state, kept beside the standards' content (never on the registry models).

A provincial standard marked as a `Template` may be adopted by city and county
departments: each `Adoption` links a local standard to the template and to the
template version it follows. Departures from the template are `Override`s, each
with a reason. A new template version gives every adopter a `TemplateChange`
whose `ChangeItem`s the adopter accepts or keeps one by one.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from standards.models import ApprovalItem, Department, Standard, StandardVersion

# The item's levels that make sense for a template: exercised at the province
# and at least one level below it.
TEMPLATE_LEVELS = (
    ApprovalItem.Levels.PROVINCE_CITY_COUNTY,
    ApprovalItem.Levels.PROVINCE_CITY,
    ApprovalItem.Levels.PROVINCE_COUNTY,
)


class Template(models.Model):
    """A provincial standard that cities and counties may adopt."""

    standard = models.OneToOneField(
        Standard, on_delete=models.CASCADE, related_name="template", verbose_name=_("standard")
    )
    levels = models.CharField(
        _("levels served"), max_length=24, choices=[(v, v) for v in TEMPLATE_LEVELS]
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["standard__item__basic_code"]
        verbose_name = _("template standard")
        verbose_name_plural = _("template standards")
        constraints = [
            models.CheckConstraint(
                condition=Q(levels__in=[str(v) for v in TEMPLATE_LEVELS]),
                name="template_levels_valid",
            ),
        ]

    def __str__(self) -> str:
        return str(self.standard)

    @property
    def level_set(self) -> frozenset[str]:
        return ApprovalItem.LEVEL_SETS[self.levels]


class Adoption(models.Model):
    """A local standard that follows a template."""

    standard = models.OneToOneField(
        Standard, on_delete=models.CASCADE, related_name="adoption", verbose_name=_("standard")
    )
    template = models.ForeignKey(
        Template, on_delete=models.PROTECT, related_name="adoptions", verbose_name=_("template")
    )
    # The template version whose content the local standard follows; it moves
    # on when the adopter has decided every item of a template change.
    adopted_template_version = models.ForeignKey(
        StandardVersion,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("adopted template version"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("adopted at"), default=timezone.now)

    class Meta:
        ordering = ["template", "standard__region__code"]
        verbose_name = _("adoption")
        verbose_name_plural = _("adoptions")

    def __str__(self) -> str:
        return f"{self.standard} ← {self.template}"


class Override(models.Model):
    """A field (or a whole row) where the local standard departs from the template, and why.

    `field_code` empty with a `row_uid` overrides the whole inherited row (it may
    then be edited or removed); a field code with an empty `row_uid` concerns a
    single-valued group.
    """

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="overrides")
    field_code = models.CharField(_("field"), max_length=8, blank=True)
    row_uid = models.CharField(_("row"), max_length=36, blank=True)
    reason = models.TextField(_("reason"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    at = models.DateTimeField(_("time"), default=timezone.now)

    class Meta:
        ordering = ["adoption", "field_code", "row_uid"]
        verbose_name = _("override")
        verbose_name_plural = _("overrides")
        constraints = [
            models.UniqueConstraint(
                fields=["adoption", "field_code", "row_uid"], name="override_unique_place"
            ),
            models.CheckConstraint(condition=~Q(reason=""), name="override_has_reason"),
            models.CheckConstraint(
                condition=~Q(field_code="", row_uid=""), name="override_names_a_place"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.field_code or '*'} {self.row_uid}".strip()


class TemplateChange(models.Model):
    """A new template version, as one adopter has to consider it."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RESOLVED = "resolved", _("Resolved")
        SUPERSEDED = "superseded", _("Superseded by a later template version")

    adoption = models.ForeignKey(Adoption, on_delete=models.CASCADE, related_name="changes")
    from_version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="+")
    to_version = models.ForeignKey(StandardVersion, on_delete=models.PROTECT, related_name="+")
    state = models.CharField(_("state"), max_length=16, choices=State, default=State.PENDING)
    created_at = models.DateTimeField(_("created at"), default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("template change")
        verbose_name_plural = _("template changes")
        constraints = [
            models.UniqueConstraint(
                fields=["adoption", "to_version"], name="template_change_once_per_version"
            ),
            models.CheckConstraint(
                condition=Q(state__in=["pending", "resolved", "superseded"]),
                name="template_change_state_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.adoption}: v{self.from_version_id} → v{self.to_version_id}"


class ChangeItem(models.Model):
    """One field (or row) that changed in the template: before, after, and the local value."""

    class Kind(models.TextChoices):
        CHANGED = "changed", _("Changed")
        ADDED = "added", _("Row added")
        REMOVED = "removed", _("Row removed")

    class Local(models.TextChoices):
        INHERITED = "inherited", _("Inherited")
        OVERRIDDEN = "overridden", _("Overridden")

    class Decision(models.TextChoices):
        PENDING = "pending", _("Pending")
        ACCEPTED = "accepted", _("Accepted")
        KEPT = "kept", _("Kept the local value")

    change = models.ForeignKey(TemplateChange, on_delete=models.CASCADE, related_name="items")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind)
    group = models.CharField(_("group"), max_length=40)
    field_code = models.CharField(_("field"), max_length=8, blank=True)
    row_uid = models.CharField(_("row"), max_length=36, blank=True)
    before = models.JSONField(_("template before"), null=True, blank=True)
    after = models.JSONField(_("template after"), null=True, blank=True)
    local = models.JSONField(_("local value"), null=True, blank=True)
    local_state = models.CharField(_("local state"), max_length=12, choices=Local)
    # The local value still equals the template's previous value (never touched).
    untouched = models.BooleanField(_("untouched locally"), default=False)
    decision = models.CharField(
        _("decision"), max_length=8, choices=Decision, default=Decision.PENDING
    )
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("decided at"), null=True, blank=True)

    class Meta:
        ordering = ["change", "id"]
        verbose_name = _("template change item")
        verbose_name_plural = _("template change items")
        constraints = [
            models.CheckConstraint(
                condition=Q(decision__in=["pending", "accepted", "kept"]),
                name="change_item_decision_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.field_code or self.group} {self.row_uid}".strip()


class AdoptionBatch(models.Model):
    """Adoption of many templates at once for one department, run in the background."""

    class State(models.TextChoices):
        QUEUED = "queued", _("Queued")
        RUNNING = "running", _("Running")
        FINISHED = "finished", _("Finished")

    department = models.ForeignKey(Department, on_delete=models.CASCADE, related_name="+")
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+"
    )
    created_at = models.DateTimeField(_("created at"), default=timezone.now)
    template_ids = models.JSONField(_("templates"), default=list)
    total = models.PositiveIntegerField(_("total"), default=0)
    done = models.PositiveIntegerField(_("done"), default=0)
    # One line per template that could not be adopted, saying why.
    problems = models.JSONField(_("problems"), default=list, blank=True)
    state = models.CharField(_("state"), max_length=8, choices=State, default=State.QUEUED)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("adoption batch")
        verbose_name_plural = _("adoption batches")

    def __str__(self) -> str:
        return f"{self.department} {self.done}/{self.total}"

    @property
    def percent(self) -> int:
        return 100 if self.total == 0 else self.done * 100 // self.total
