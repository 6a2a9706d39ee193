"""Finding the published versions the portal shows, in as few queries as possible.

Only versions with a `PublishedSnapshot` are ever returned: drafts, versions in
review and returned versions do not exist for the portal.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.db.models import Case, Exists, F, JSONField, OuterRef, QuerySet, Subquery, When
from django.http import Http404

from standards.models import RenderedDocument, StandardVersion


def _published(basic_code: str, department_code: str) -> QuerySet[StandardVersion]:
    """Published versions of one standard, with what the page header needs joined in.

    The snapshot's data is deferred: a page served from the cache never needs it.
    """
    return (
        StandardVersion.objects.filter(
            standard__item__basic_code=basic_code,
            standard__department__code=department_code,
            published_snapshot__isnull=False,
        )
        .select_related(
            "published_snapshot",
            "standard__item",
            "standard__department",
            "standard__region",
        )
        .defer("published_snapshot__data", "completeness")
        .annotate(
            # When anything in the page's version list last changed (a new
            # publication, a withdrawal): part of the page's ETag.
            versions_changed_at=Subquery(
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
    )


def in_force_version(basic_code: str, department_code: str, on: datetime.date) -> StandardVersion:
    """The version in force on a date (one query), or Http404."""
    version = (
        _published(basic_code, department_code)
        .filter(effective_from__lte=on)
        .exclude(effective_to__lt=on)
        .order_by("-effective_from", "-number")
        .first()
    )
    if version is None:
        raise Http404
    return version


def numbered_version(basic_code: str, department_code: str, number: int) -> StandardVersion:
    """One published version by its number (one query), or Http404."""
    version = _published(basic_code, department_code).filter(number=number).first()
    if version is None:
        raise Http404
    return version


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


def versions_and_data(version: StandardVersion) -> tuple[list[VersionEntry], dict[str, Any]]:
    """Every published version of the standard, newest first, and `version`'s snapshot.

    One query: the snapshot data comes back on `version`'s row only.
    """
    rows = (
        StandardVersion.objects.filter(
            standard_id=version.standard_id, published_snapshot__isnull=False
        )
        .annotate(
            data=Case(
                When(pk=version.pk, then=F("published_snapshot__data")),
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
        if row["pk"] == version.pk:
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
