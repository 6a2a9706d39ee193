"""Finding the published versions the portal shows, in as few queries as possible.

Only versions with a `PublishedSnapshot` are ever returned: drafts, versions in
review and returned versions do not exist for the portal.

The first lookup of a page is the hot path of the whole portal (a cached page
costs nothing else but the view counter), so it reads a handful of columns
into a small dataclass rather than model instances; everything a rendered page
shows comes from the snapshot, read by `versions_and_data` on a cache miss.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, F, JSONField, OuterRef, QuerySet, Subquery, When
from django.http import Http404

from standards.models import RenderedDocument, StandardVersion


@dataclass(frozen=True)
class Shown:
    """The published version a page shows, and what its ETag is made of."""

    version_id: int
    standard_id: int
    number: int
    sha256: str
    published_at: datetime.datetime
    # When anything in the page's version list last changed (a publication, a
    # withdrawal): part of the ETag, and the page's Last-Modified.
    changed_at: datetime.datetime
    has_pdf: bool


def _published(basic_code: str, department_code: str) -> QuerySet[StandardVersion]:
    return StandardVersion.objects.filter(
        standard__item__basic_code=basic_code,
        standard__department__code=department_code,
        published_snapshot__isnull=False,
    )


def _shown(queryset: QuerySet[StandardVersion]) -> Shown:
    row = (
        queryset.annotate(
            changed_at=Subquery(
                StandardVersion.objects.filter(
                    standard_id=OuterRef("standard_id"), published_snapshot__isnull=False
                )
                .order_by("-updated_at")
                .values("updated_at")[:1]
            ),
            has_pdf=Exists(
                RenderedDocument.objects.filter(
                    version=OuterRef("pk"), kind=RenderedDocument.Kind.GUIDE
                )
            ),
        )
        .values(
            "pk",
            "standard_id",
            "number",
            "published_snapshot__sha256",
            "published_snapshot__published_at",
            "changed_at",
            "has_pdf",
        )
        .first()
    )
    if row is None:
        raise Http404
    return Shown(
        version_id=row["pk"],
        standard_id=row["standard_id"],
        number=row["number"],
        sha256=row["published_snapshot__sha256"],
        published_at=row["published_snapshot__published_at"],
        changed_at=row["changed_at"],
        has_pdf=row["has_pdf"],
    )


def in_force_version(basic_code: str, department_code: str, on: datetime.date) -> Shown:
    """The version in force on a date (one query), or Http404."""
    return _shown(
        _published(basic_code, department_code)
        .filter(effective_from__lte=on)
        .exclude(effective_to__lt=on)
        .order_by("-effective_from", "-number")
    )


def numbered_version(basic_code: str, department_code: str, number: int) -> Shown:
    """One published version by its number (one query), or Http404."""
    return _shown(_published(basic_code, department_code).filter(number=number))


@dataclass(frozen=True)
class VersionEntry:
    """An entry of the page's version list."""

    pk: int
    number: int
    effective_from: datetime.date | None
    effective_to: datetime.date | None
    published_at: datetime.datetime
    change_note: str
    state: str


def versions_and_data(shown: Shown) -> tuple[list[VersionEntry], dict[str, Any]]:
    """Every published version of the standard, newest first, and the shown one's snapshot.

    One query: the snapshot data comes back on the shown version's row only.
    """
    rows = (
        StandardVersion.objects.filter(
            standard_id=shown.standard_id, published_snapshot__isnull=False
        )
        .annotate(
            data=Case(
                When(pk=shown.version_id, then=F("published_snapshot__data")),
                default=None,
                output_field=JSONField(),
            )
        )
        .order_by("-number")
        .values(
            "pk",
            "number",
            "effective_from",
            "effective_to",
            "published_snapshot__published_at",
            "change_note",
            "state",
            "data",
        )
    )
    entries = []
    data: dict[str, Any] = {}
    for row in rows:
        if row["pk"] == shown.version_id:
            data = row["data"]
        entries.append(
            VersionEntry(
                pk=row["pk"],
                number=row["number"],
                effective_from=row["effective_from"],
                effective_to=row["effective_to"],
                published_at=row["published_snapshot__published_at"],
                change_note=row["change_note"],
                state=row["state"],
            )
        )
    return entries, data
