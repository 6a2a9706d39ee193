"""Finding entries: the n-gram postings narrow, a substring check confirms.

For a term of one character the unigram postings are the answer; for two
characters the bigram postings are. A longer term needs every one of its
bigrams (an intersection of posting lists, read index-only from the B-tree on
(gram, entry)) and then a substring check on those candidates only, so the
result is exactly "every term is a substring of the folded text".
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import overload

from django.db.models import Q, QuerySet

from standards.models import Region

from .models import EntryTheme, Gram, SearchEntry
from .text import grams_of_term


@dataclass(frozen=True)
class Filters:
    """Browse filters; empty strings mean "any". Values are validated by the form."""

    department: str = ""
    item_type: str = ""
    theme_person: str = ""
    theme_enterprise: str = ""
    level: str = ""
    # A region at any level: the region and everything under it.
    region: Region | None = None


def contains_all(terms: list[str], *, names_only: bool = False) -> Q:
    """Every folded term is a substring of the entry's text (or of its names).

    One semi-join per gram (not GROUP BY ... HAVING): the planner estimates
    each from the statistics of `gram` and drives from the rarest posting list.
    """
    postings = Gram.objects.filter(in_name=True) if names_only else Gram.objects.all()
    column = "folded_names" if names_only else "folded"
    condition = Q()
    for term in terms:
        for gram in sorted(grams_of_term(term)):
            condition &= Q(pk__in=postings.filter(gram=gram).values("entry_id"))
        if len(term) > 2:
            # The bigrams may all occur without the term itself ("食品" + "品经营").
            condition &= Q(**{f"{column}__contains": term})
    return condition


def filtered(entries: QuerySet[SearchEntry], filters: Filters) -> QuerySet[SearchEntry]:
    if filters.department:
        entries = entries.filter(department_code=filters.department)
    if filters.item_type:
        entries = entries.filter(item_type=filters.item_type)
    if filters.level:
        entries = entries.filter(level=filters.level)
    if filters.region is not None:
        # Entries keep their province, city and county in columns named by level.
        entries = entries.filter(**{f"{filters.region.level}_id": filters.region.pk})
    for audience, code in (
        (EntryTheme.Audience.PERSON, filters.theme_person),
        (EntryTheme.Audience.ENTERPRISE, filters.theme_enterprise),
    ):
        if code:
            entries = entries.filter(
                pk__in=EntryTheme.objects.filter(audience=audience, code=code).values("entry_id")
            )
    return entries


ORDER = ("item_name", "id")


class Results:
    """The result list, sliceable for a Paginator: name matches first, then the rest.

    Each part is read in the order of the (item_name, id) index, so a page costs
    a bounded walk of that index instead of sorting every match; the two counts
    come from the postings. Four queries at most, whatever the catalogue size.
    """

    def __init__(self, terms: list[str], filters: Filters | None = None) -> None:
        filters = filters or Filters()
        # The commonest search: one short term, no filter. Its postings are the
        # exact answer, so both counts come from the index alone.
        self.exact_postings = (
            Gram.objects.filter(gram=terms[0])
            if len(terms) == 1 and len(terms[0]) <= 2 and filters == Filters()
            else None
        )
        entries = filtered(SearchEntry.objects.all(), filters)
        self.parts = [entries.order_by(*ORDER)]
        if terms:
            entries = entries.filter(contains_all(terms))
            in_names = contains_all(terms, names_only=True)
            self.parts = [
                entries.filter(in_names).order_by(*ORDER),
                entries.exclude(in_names).order_by(*ORDER),
            ]
        self.everything = entries
        self._counts: list[int] | None = None

    def counts(self) -> list[int]:
        """The size of each part; the last one by difference (no second anti-join)."""
        if self._counts is None and self.exact_postings is not None:
            total = self.exact_postings.count()
            in_names = self.exact_postings.filter(in_name=True).count()
            self._counts = [in_names, total - in_names]
        if self._counts is None:
            total = self.everything.count()
            first = [part.count() for part in self.parts[:-1]]
            self._counts = [*first, total - sum(first)]
        return self._counts

    def count(self) -> int:
        return sum(self.counts())

    def __len__(self) -> int:
        return self.count()

    def __iter__(self) -> Iterator[SearchEntry]:
        return iter(self[0 : self.count()])

    @overload
    def __getitem__(self, index: int) -> SearchEntry: ...
    @overload
    def __getitem__(self, index: slice) -> list[SearchEntry]: ...
    def __getitem__(self, index: int | slice) -> SearchEntry | list[SearchEntry]:
        if isinstance(index, int):
            found = self[index : index + 1]
            if not found:
                raise IndexError(index)
            return found[0]
        if index.step is not None:
            raise TypeError("Results take a slice without a step.")
        start, stop = index.start or 0, index.stop
        if stop is None:
            stop = self.count()
        rows: list[SearchEntry] = []
        offset = 0
        for part, size in zip(self.parts, self.counts(), strict=True):
            low, high = max(start - offset, 0), min(stop - offset, size)
            if low < high:
                rows.extend(part[low:high])
            offset += size
        return rows


def search(terms: list[str], filters: Filters | None = None) -> Results:
    return Results(terms, filters)
