"""The matcher: ties legal-basis rows to the law versions and articles they cite.

A row is matched on its law name (`legal.normalise.law_key`) and its article
number (第35条 = 第三十五条). Which version of the law it cites is read from
the row's dates:

1. a version promulgated (or revised) on the row's revision date (E02.06);
2. else a version taking effect on the row's effective date (E02.07);
3. else the latest version promulgated on or before that date;
4. else (no date, or a date before every version the library holds) the
   version in force, or failing that the earliest one.

A row already tied to a version of the same law, and without dates to say
otherwise, keeps its tie: entering a new version must not silently move old
citations onto it (that is what the change flag is for).

Linking is derived data, rebuilt at will: `manage.py link_citations` links
every open and published version; publishing links the version published.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.db.models import QuerySet

from legal.models import Article, Citation, LawVersion
from legal.normalise import article_numbers, law_key
from standards.models import StandardVersion
from standards.models.elements import LegalBasis
from standards.models.standard import OPEN_STATES, VersionState


def live_versions() -> QuerySet[StandardVersion]:
    """The versions a law change concerns: each standard's open draft and current publication."""
    return StandardVersion.objects.filter(state__in=[*OPEN_STATES, VersionState.PUBLISHED])


@dataclass(frozen=True)
class _Version:
    pk: int
    law_id: int
    promulgated_on: datetime.date
    effective_on: datetime.date | None
    in_force: bool


@dataclass(frozen=True)
class Match:
    law_version_id: int
    article_id: int | None


@dataclass(frozen=True)
class UnmatchedRow:
    """A legal-basis row the library could not (fully) tie, and why."""

    item_name: str
    department_name: str
    version_number: int
    law_name: str
    article_number: str
    reason: str


class Library:
    """The laws in memory, keyed for matching (a few hundred rows at most)."""

    def __init__(self, versions: list[_Version], keys: dict[int, str], articles: dict) -> None:
        self._by_key: dict[str, list[_Version]] = defaultdict(list)
        for version in sorted(versions, key=lambda v: v.promulgated_on):
            self._by_key[keys[version.law_id]].append(version)
        self._articles: dict[tuple[int, int], int] = articles

    @classmethod
    def load(cls) -> Library:
        rows = LawVersion.objects.citable().values(
            "pk", "law_id", "law__key", "promulgated_on", "effective_on", "status"
        )
        versions, keys = [], {}
        for row in rows:
            keys[row["law_id"]] = row["law__key"]
            versions.append(
                _Version(
                    row["pk"],
                    row["law_id"],
                    row["promulgated_on"],
                    row["effective_on"],
                    row["status"] == LawVersion.Status.IN_FORCE,
                )
            )
        articles = {
            (a["law_version_id"], a["ordinal"]): a["pk"]
            for a in Article.objects.values("pk", "law_version_id", "ordinal")
        }
        return cls(versions, keys, articles)

    def versions_of(self, law_name: str) -> list[_Version]:
        return self._by_key.get(law_key(law_name), [])

    def choose(
        self,
        candidates: list[_Version],
        revised: datetime.date | None,
        effective: datetime.date | None,
    ) -> _Version:
        for version in candidates:
            if revised is not None and version.promulgated_on == revised:
                return version
        for version in candidates:
            if effective is not None and version.effective_on == effective:
                return version
        on = revised or effective
        if on is not None:
            earlier = [v for v in candidates if v.promulgated_on <= on]
            if earlier:
                return earlier[-1]
        in_force = [v for v in candidates if v.in_force]
        return in_force[0] if in_force else candidates[0]

    def article(self, law_version_id: int, article_number: str) -> int | None:
        numbers = article_numbers(article_number)
        if not numbers:
            return None
        return self._articles.get((law_version_id, numbers[0]))


@dataclass
class LinkReport:
    created: int = 0
    updated: int = 0
    removed: int = 0
    unchanged: int = 0
    unmatched: list[UnmatchedRow] = field(default_factory=list)

    @property
    def linked(self) -> int:
        return self.created + self.updated + self.unchanged


ROW_VALUES = (
    "version_id",
    "uid",
    "law_name",
    "article_number",
    "revision_date",
    "effective_date",
    "version__number",
    "version__standard__item__name",
    "version__standard__department__name",
)


@transaction.atomic
def link_versions(
    versions: Iterable[int] | QuerySet[Any, Any], *, library: Library | None = None
) -> LinkReport:
    """Tie every legal-basis row of these versions to the library; a fixed number of queries."""
    library = library or Library.load()
    if not isinstance(versions, QuerySet):
        versions = list(versions)
    rows = LegalBasis.objects.filter(version_id__in=versions).values(*ROW_VALUES).order_by()
    existing = {
        (c.version_id, c.row_uid): c
        for c in Citation.objects.filter(version_id__in=versions).select_related("law_version")
    }
    report = LinkReport()
    wanted: dict[tuple[int, Any], Match] = {}
    for row in rows:
        key = (row["version_id"], row["uid"])
        match = _match(row, library, existing.get(key), report)
        if match is not None:
            wanted[key] = match

    to_create, to_update = [], []
    for key, match in wanted.items():
        citation = existing.get(key)
        if citation is None:
            to_create.append(
                Citation(
                    version_id=key[0],
                    row_uid=key[1],
                    law_version_id=match.law_version_id,
                    article_id=match.article_id,
                )
            )
        elif (citation.law_version_id, citation.article_id) != (
            match.law_version_id,
            match.article_id,
        ):
            citation.law_version_id = match.law_version_id
            citation.article_id = match.article_id
            to_update.append(citation)
        else:
            report.unchanged += 1
    stale = [c.pk for key, c in existing.items() if key not in wanted]
    if to_create:
        Citation.objects.bulk_create(to_create)
    if to_update:
        Citation.objects.bulk_update(to_update, ["law_version", "article"])
    if stale:
        Citation.objects.filter(pk__in=stale).delete()
    report.created, report.updated, report.removed = len(to_create), len(to_update), len(stale)
    return report


def _match(
    row: dict[str, Any], library: Library, current: Citation | None, report: LinkReport
) -> Match | None:
    def unmatched(reason: str) -> None:
        report.unmatched.append(
            UnmatchedRow(
                item_name=row["version__standard__item__name"],
                department_name=row["version__standard__department__name"],
                version_number=row["version__number"],
                law_name=row["law_name"],
                article_number=row["article_number"],
                reason=reason,
            )
        )

    candidates = library.versions_of(row["law_name"] or "")
    if not candidates:
        unmatched("law not in the library")
        return None
    revised, effective = row["revision_date"], row["effective_date"]
    if (
        current is not None
        and revised is None
        and effective is None
        and any(v.pk == current.law_version_id for v in candidates)
    ):
        chosen_pk = current.law_version_id
    else:
        chosen_pk = library.choose(candidates, revised, effective).pk
    article_id = library.article(chosen_pk, row["article_number"] or "")
    if not article_numbers(row["article_number"] or ""):
        unmatched("no article number recognised")
    elif article_id is None:
        unmatched("article not in the library")
    return Match(chosen_pk, article_id)
