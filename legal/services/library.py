"""The library page's rows: laws, their versions, and the published standards citing each.

Three queries whatever the number of laws, versions or citations: the laws,
their versions (with an article count) and the citations of published versions
grouped per law version in the database.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Count, Prefetch, Q, QuerySet

from legal.models import Citation, Law, LawVersion
from standards.models.standard import VersionState


@dataclass(frozen=True)
class CitingStandard:
    item_name: str
    basic_code: str
    department_name: str
    department_code: str
    number: int
    rows: int  # legal-basis rows of that version citing the law version


@dataclass
class VersionRow:
    version: LawVersion
    citing: list[CitingStandard] = field(default_factory=list)


@dataclass
class LawRow:
    law: Law
    versions: list[VersionRow]


def laws(query: str = "", level: str = "") -> QuerySet[Law]:
    found = Law.objects.all()
    if query:
        found = found.filter(Q(name__contains=query) | Q(issuing_authority__contains=query))
    if level:
        found = found.filter(level=level)
    return found.order_by("level", "name")


def rows_for(page: list[Law]) -> list[LawRow]:
    """The rows of one page of laws."""
    law_ids = [law.pk for law in page]
    versions = LawVersion.objects.annotate(article_count=Count("articles")).order_by(
        "-promulgated_on"
    )
    loaded = Law.objects.filter(pk__in=law_ids).prefetch_related(
        Prefetch("versions", queryset=versions)
    )
    by_id = {law.pk: law for law in loaded}
    citing: dict[int, list[CitingStandard]] = defaultdict(list)
    for row in _published_citations(law_ids):
        citing[row["law_version_id"]].append(
            CitingStandard(
                item_name=row["version__standard__item__name"],
                basic_code=row["version__standard__item__basic_code"],
                department_name=row["version__standard__department__name"],
                department_code=row["version__standard__department__code"],
                number=row["version__number"],
                rows=row["rows"],
            )
        )
    return [
        LawRow(
            law=by_id[law_id],
            versions=[VersionRow(v, citing[v.pk]) for v in by_id[law_id].versions.all()],
        )
        for law_id in law_ids
        if law_id in by_id
    ]


def _published_citations(law_ids: list[int]) -> Any:
    return (
        Citation.objects.filter(
            law_version__law_id__in=law_ids, version__state=VersionState.PUBLISHED
        )
        .values(
            "law_version_id",
            "version__number",
            "version__standard__item__name",
            "version__standard__item__basic_code",
            "version__standard__department__name",
            "version__standard__department__code",
        )
        .annotate(rows=Count("pk"))
        .order_by("version__standard__item__basic_code", "version__standard__department__code")
    )
