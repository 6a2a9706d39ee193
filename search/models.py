"""The search index: one entry per standard with a published version in force.

Entries are derived data: they are written only by `search.indexing` from
published snapshots, and `manage.py rebuild_search_index` can recreate them
at any time. Nothing here is a source of truth.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from standards.models import Department, Region, Standard, StandardVersion


class SearchEntry(models.Model):
    """What the portal lists and finds for one standard: its published version."""

    # The key is the entry's place in the listing order (item name, then first
    # indexed): `search.indexing` allocates it between the neighbours' with gaps.
    # A posting list read in key order is then already in listing order, so a
    # page of a common term is a short index read, whatever the catalogue size.
    position = models.BigIntegerField(primary_key=True)
    standard = models.OneToOneField(Standard, on_delete=models.CASCADE, related_name="search_entry")
    version = models.OneToOneField(StandardVersion, on_delete=models.CASCADE, related_name="+")
    # Copied from the snapshot so that a result row needs no join.
    basic_code = models.CharField(_("basic code"), max_length=12)
    item_name = models.CharField(_("item name"), max_length=200)
    department_code = models.CharField(_("department code"), max_length=32)
    department_name = models.CharField(_("department"), max_length=100)
    item_type = models.CharField(_("item type"), max_length=8)
    level = models.CharField(_("level"), max_length=8, choices=Region.Level)
    department = models.ForeignKey(
        Department, on_delete=models.CASCADE, related_name="+", verbose_name=_("department")
    )
    # The region and the regions above it, one column per level, so that
    # "everything in 佛山市" is one indexed equality whatever the level.
    province = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+")
    city = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", null=True)
    county = models.ForeignKey(Region, on_delete=models.CASCADE, related_name="+", null=True)
    promised_limit = models.PositiveIntegerField(_("promised time limit"), null=True)
    promised_limit_unit = models.CharField(_("time unit"), max_length=8, blank=True)
    is_charged = models.BooleanField(_("charged"), null=True)
    on_site_visits = models.PositiveIntegerField(_("on-site visits"), null=True)
    # The searched fields as published: {"names": [...], "department": "...",
    # "conditions": [...], "materials": [...]}; for snippets and highlighting.
    document = models.JSONField(_("searched text"))
    # fold() of the searched fields joined by newlines: what a query term is
    # matched against (a term never contains whitespace, so never spans fields).
    folded = models.TextField()
    # fold() of the item name and common names: name matches rank first.
    folded_names = models.TextField()
    indexed_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["position"]
        verbose_name = _("search entry")
        verbose_name_plural = _("search entries")
        indexes = [
            # Finds the neighbours of a new entry in the listing order.
            models.Index(fields=["item_name", "position"], name="search_entry_name_order"),
            models.Index(fields=["item_type"], name="search_entry_item_type"),
            models.Index(fields=["level"], name="search_entry_level"),
        ]

    def __str__(self) -> str:
        return f"{self.item_name} · {self.department_name}"


class EntryTheme(models.Model):
    """A theme (for individuals or for enterprises) an entry is listed under."""

    class Audience(models.TextChoices):
        PERSON = "person", _("For individuals")
        ENTERPRISE = "enterprise", _("For enterprises")

    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="themes")
    audience = models.CharField(max_length=10, choices=Audience)
    code = models.CharField(max_length=8)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["audience", "code", "entry"], name="entry_theme_unique"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.audience}:{self.code}"


class Gram(models.Model):
    """One posting of the gram index: `entry` contains a gram of one to three characters.

    `code` is `2 * gram_number(gram) + 1` when the gram occurs in the item's
    names and `2 * gram_number(gram)` when it occurs only elsewhere, so the
    composite primary key (code, entry) holds, for each gram, the name matches
    and the other matches as two posting lists, each in listing order (entry
    keys are positions). Read index-only, a page of either is a short range.
    """

    pk = models.CompositePrimaryKey("code", "entry")
    code = models.BigIntegerField()
    # The foreign key's own index serves deleting an entry's postings.
    entry = models.ForeignKey(SearchEntry, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.code} → {self.entry_id}"


class GramCount(models.Model):
    """How many entries contain a gram, and in how many it is in the names.

    Kept by `search.indexing` with every posting written or deleted, so a
    one-term search counts its results with one key lookup instead of reading
    a posting list of tens of thousands of entries.
    """

    gram = models.BigIntegerField(primary_key=True)
    entries = models.IntegerField(default=0)
    in_names = models.IntegerField(default=0)

    def __str__(self) -> str:
        return f"{self.gram}: {self.entries} ({self.in_names} in names)"


class ItemView(models.Model):
    """How often the public guide of a standard was opened (for "most viewed")."""

    standard = models.OneToOneField(
        Standard, on_delete=models.CASCADE, primary_key=True, related_name="item_view"
    )
    views = models.PositiveBigIntegerField(default=0)

    class Meta:
        indexes = [models.Index(fields=["-views"], name="search_itemview_views")]

    def __str__(self) -> str:
        return f"{self.standard_id}: {self.views}"
