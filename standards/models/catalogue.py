"""The catalogue: regions, departments, approval items and the code lists.

These are reference data loaded from `fixtures/` by natural key, so loading
them again updates rows in place instead of duplicating them.
"""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.registry.i18n import bilingual

from .fields import CodeField


class NaturalKeyManager(models.Manager):
    natural_key_fields: tuple[str, ...] = ("code",)

    def get_by_natural_key(self, *key: str) -> models.Model:
        return self.get(**dict(zip(self.natural_key_fields, key, strict=True)))


class Region(models.Model):
    """An administrative division (GB/T 2260 code): province, city or county."""

    class Level(models.TextChoices):
        PROVINCE = "province", _("Province")
        CITY = "city", _("City")
        COUNTY = "county", _("County or district")

    code = models.CharField(
        _("division code"),
        max_length=6,
        unique=True,
        validators=[RegexValidator(r"^\d{6}$", _("Enter the six-digit division code."))],
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=100, blank=True)
    level = models.CharField(_("level"), max_length=8, choices=Level)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="children",
        verbose_name=_("parent region"),
    )

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["code"]
        verbose_name = _("region")
        verbose_name_plural = _("regions")
        constraints = [
            models.CheckConstraint(
                condition=models.Q(level="province", parent__isnull=True)
                | (~models.Q(level="province") & models.Q(parent__isnull=False)),
                name="region_only_provinces_have_no_parent",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)

    def lineage(self) -> list[Region]:
        """This region and the regions above it, nearest first (county → city → province)."""
        found: list[Region] = []
        region: Region | None = self
        while region is not None:
            found.append(region)
            region = region.parent
        return found


class Department(models.Model):
    """A government department of one region that implements approval items."""

    class Kind(models.TextChoices):
        DEPARTMENT = "department", _("Approval department")
        EDITORIAL_OFFICE = "editorial_office", _("Editorial office (机构编制委员会办公室)")

    code = models.CharField(_("code"), max_length=32, unique=True)
    number = models.CharField(
        _("provincial department number"),
        max_length=3,
        blank=True,
        validators=[RegexValidator(r"^\d{3}$", _("Enter three digits."))],
        help_text=_("Three digits used in the basic codes of the items this department governs."),
    )
    name = models.CharField(_("name"), max_length=100)
    name_en = models.CharField(_("English name"), max_length=200, blank=True)
    short_name = models.CharField(_("short name"), max_length=50, blank=True)
    region = models.ForeignKey(
        Region, on_delete=models.PROTECT, related_name="departments", verbose_name=_("region")
    )
    kind = models.CharField(_("kind"), max_length=16, choices=Kind, default=Kind.DEPARTMENT)

    objects = NaturalKeyManager()

    class Meta:
        ordering = ["region__code", "code"]
        verbose_name = _("department")
        verbose_name_plural = _("departments")
        constraints = [
            models.UniqueConstraint(
                fields=["number"],
                condition=~models.Q(number=""),
                name="department_number_unique_when_set",
            ),
        ]

    def __str__(self) -> str:
        return self.name

    def natural_key(self) -> tuple[str]:
        return (self.code,)


class ApprovalItemQuerySet(models.QuerySet["ApprovalItem"]):
    def main_items(self) -> ApprovalItemQuerySet:
        return self.filter(parent__isnull=True)

    def exercised_at(self, level: str) -> ApprovalItemQuerySet:
        patterns = [p for p in ApprovalItem.Levels if level in ApprovalItem.LEVEL_SETS[p]]
        return self.filter(levels__in=patterns)


class ApprovalItem(models.Model):
    """An item of the administrative approval catalogue (行政审批事项目录)."""

    class Levels(models.TextChoices):
        PROVINCE = "province", _("Province only")
        PROVINCE_CITY = "province_city", _("Province and city")
        PROVINCE_COUNTY = "province_county", _("Province and county")
        PROVINCE_CITY_COUNTY = "province_city_county", _("Province, city and county")
        CITY = "city", _("City only")
        CITY_COUNTY = "city_county", _("City and county")
        COUNTY = "county", _("County only")

    LEVEL_SETS: dict[str, frozenset[str]] = {
        value: frozenset(value.split("_")) for value in Levels.values
    }

    basic_code = models.CharField(
        _("basic code"),
        max_length=12,
        unique=True,
        validators=[RegexValidator(r"^\d{12}$", _("Enter the twelve-digit basic code."))],
    )
    name = models.CharField(_("item name"), max_length=200)
    common_name = models.CharField(_("common name"), max_length=200, blank=True)
    item_type = CodeField(codelist="item_type", verbose_name=_("item type"), blank=False)
    parent = models.ForeignKey(
        "self",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="sub_items",
        verbose_name=_("parent item"),
    )
    levels = models.CharField(_("levels exercised"), max_length=24, choices=Levels)
    department = models.ForeignKey(
        Department,
        on_delete=models.PROTECT,
        related_name="items",
        verbose_name=_("competent department"),
    )

    objects = ApprovalItemQuerySet.as_manager()

    class Meta:
        ordering = ["basic_code"]
        verbose_name = _("approval item")
        verbose_name_plural = _("approval items")
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("id")), name="approval_item_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name}（{self.basic_code}）"

    def natural_key(self) -> tuple[str]:
        return (self.basic_code,)

    @property
    def level_set(self) -> frozenset[str]:
        return self.LEVEL_SETS[self.levels]


class CodeListEntry(models.Model):
    """One code of a registry code list, stored for the admin, the API and joins."""

    codelist = models.CharField(_("code list"), max_length=40)
    code = models.CharField(_("code"), max_length=8)
    label_zh = models.CharField(_("Chinese label"), max_length=100)
    label_en = models.CharField(_("English label"), max_length=200)
    source = models.CharField(_("source"), max_length=200, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        ordering = ["codelist", "position"]
        verbose_name = _("code-list entry")
        verbose_name_plural = _("code lists")
        constraints = [
            models.UniqueConstraint(fields=["codelist", "code"], name="codelist_code_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.codelist}:{self.code} {self.label_zh}"

    def natural_key(self) -> tuple[str, str]:
        return (self.codelist, self.code)

    @property
    def label(self) -> str:
        return str(bilingual(self.label_zh, self.label_en))
