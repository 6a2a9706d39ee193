"""Keeps the search index equal to the published catalogue.

An entry mirrors the published version of a standard (state "published",
with its snapshot); a standard with none has no entry. `reindex_standard`
recomputes that for one standard and is safe to call any number of times;
`sync_index` does it for every standard whose entry is missing or stale.
Only public fields (registry audience guide or both) are read.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction

from standards.models import Region, Standard, StandardVersion
from standards.registry import REGISTRY, Audience, Field

from .models import EntryTheme, Gram, SearchEntry
from .text import fold, grams_of_text


def _public(group: str, name: str) -> Field:
    found = REGISTRY.field(group, name)
    # The portal is public: a manual-only field must never reach the index.
    if found.audience == Audience.MANUAL:
        raise AssertionError(f"{found.code} is manual-only and must not be indexed")
    return found


COMMON_NAME = _public("basic_info", "common_name")
THEME_PERSON = _public("basic_info", "theme_natural_person")
THEME_ENTERPRISE = _public("basic_info", "theme_legal_person")
ON_SITE_VISITS = _public("basic_info", "on_site_visits")
PROMISED_LIMIT = _public("time_limit", "promised_limit")
PROMISED_LIMIT_UNIT = _public("time_limit", "promised_limit_unit")
IS_CHARGED = _public("fee", "is_charged")
CONDITION_TEXT = _public("condition", "condition_text")
MATERIAL_NAME = _public("material", "name")


@dataclass(frozen=True)
class Document:
    """The searched text of one published snapshot, field by field."""

    names: list[str]
    department: str
    conditions: list[str]
    materials: list[str]

    @classmethod
    def from_snapshot(cls, data: dict[str, Any]) -> Document:
        meta, content = data["standard"], data["content"]
        names = [meta["item"]["name"]]
        for common in (meta["item"].get("common_name"), content["basic_info"][COMMON_NAME.code]):
            if common and common not in names:
                names.append(common)
        return cls(
            names=names,
            department=meta["department"]["name"],
            conditions=_texts(content["condition"], CONDITION_TEXT.code),
            materials=_texts(content["material"], MATERIAL_NAME.code),
        )

    def fields(self) -> list[str]:
        return [*self.names, self.department, *self.conditions, *self.materials]

    def as_json(self) -> dict[str, Any]:
        return {
            "names": self.names,
            "department": self.department,
            "conditions": self.conditions,
            "materials": self.materials,
        }


def _texts(rows: Iterable[dict[str, Any]], code: str) -> list[str]:
    return [row[code] for row in rows if row.get(code)]


def entry_values(version: StandardVersion) -> dict[str, Any]:
    """The column values of the entry for a published `version`."""
    data = version.published_snapshot.data
    document = Document.from_snapshot(data)
    content = data["content"]
    standard = version.standard
    lineage = {r.level: r for r in standard.region.lineage()}
    return {
        "version": version,
        "basic_code": data["standard"]["item"]["basic_code"],
        "item_name": data["standard"]["item"]["name"],
        "department_code": data["standard"]["department"]["code"],
        "department_name": document.department,
        "item_type": data["standard"]["item"]["item_type"],
        "level": standard.region.level,
        "department": standard.department,
        "province": lineage[Region.Level.PROVINCE],
        "city": lineage.get(Region.Level.CITY),
        "county": lineage.get(Region.Level.COUNTY),
        "promised_limit": content["time_limit"][PROMISED_LIMIT.code],
        "promised_limit_unit": content["time_limit"][PROMISED_LIMIT_UNIT.code] or "",
        "is_charged": content["fee"][IS_CHARGED.code],
        "on_site_visits": content["basic_info"][ON_SITE_VISITS.code],
        "document": document.as_json(),
        "folded": fold("\n".join(document.fields())),
        "folded_names": fold("\n".join(document.names)),
    }


def themes_of(version: StandardVersion) -> list[tuple[str, str]]:
    basic = version.published_snapshot.data["content"]["basic_info"]
    return [(EntryTheme.Audience.PERSON, code) for code in basic[THEME_PERSON.code] or []] + [
        (EntryTheme.Audience.ENTERPRISE, code) for code in basic[THEME_ENTERPRISE.code] or []
    ]


def current_version(standard_id: int) -> StandardVersion | None:
    """The published version of a standard (the one its entry mirrors), if any."""
    return (
        StandardVersion.objects.filter(
            standard_id=standard_id,
            state=StandardVersion.State.PUBLISHED,
            published_snapshot__isnull=False,
        )
        .select_related("published_snapshot", "standard__department", "standard__region__parent")
        .order_by("-number")
        .first()
    )


@transaction.atomic
def reindex_standard(standard_id: int) -> SearchEntry | None:
    """Make the entry of one standard match its published version (or remove it)."""
    # Serialises concurrent reindexing of the same standard (a no-op on SQLite,
    # whose writers are serialised anyway).
    if not Standard.objects.select_for_update().filter(pk=standard_id).exists():
        return None
    version = current_version(standard_id)
    existing = SearchEntry.objects.filter(standard_id=standard_id).first()
    if version is None:
        if existing is not None:
            existing.delete()
        return None
    if existing is not None and existing.version_id == version.pk:
        return existing
    values = entry_values(version)
    if existing is None:
        entry = SearchEntry.objects.create(standard_id=standard_id, **values)
    else:
        entry = existing
        for name, value in values.items():
            setattr(entry, name, value)
        entry.save()
        Gram.objects.filter(entry=entry).delete()
        EntryTheme.objects.filter(entry=entry).delete()
    Gram.objects.bulk_create(postings_of(entry), batch_size=1000)
    EntryTheme.objects.bulk_create(
        [EntryTheme(entry=entry, audience=a, code=c) for a, c in themes_of(version)]
    )
    return entry


def postings_of(entry: SearchEntry) -> list[Gram]:
    in_names = grams_of_text(entry.folded_names)
    return [
        Gram(gram=gram, entry=entry, in_name=gram in in_names)
        for gram in sorted(grams_of_text(entry.folded))
    ]


def stale_standards() -> set[int]:
    """Standards whose entry is missing, points at another version or should not exist."""
    published = dict(
        StandardVersion.objects.filter(
            state=StandardVersion.State.PUBLISHED, published_snapshot__isnull=False
        ).values_list("standard_id", "pk")
    )
    indexed = dict(SearchEntry.objects.values_list("standard_id", "version_id"))
    return {
        standard
        for standard in published.keys() | indexed.keys()
        if published.get(standard) != indexed.get(standard)
    }


def sync_index() -> int:
    """Reindex every stale standard; returns how many were touched."""
    stale = sorted(stale_standards())
    for standard_id in stale:
        reindex_standard(standard_id)
    return len(stale)


def rebuild_index() -> int:
    """Drop every entry and index the published catalogue again."""
    with transaction.atomic():
        Gram.objects.all().delete()
        EntryTheme.objects.all().delete()
        SearchEntry.objects.all().delete()
    return sync_index()
