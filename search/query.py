"""Finding entries: gram postings answer short terms and narrow longer ones.

A term of one to three characters is a gram: its postings are the answer. A
longer term needs its rarest trigrams (an intersection of posting lists read
index-only from the primary key (code, entry)) and then a substring check on
those candidates only, so the result is exactly "every term is a substring of
the folded text". `GramCount` says at once how many entries hold a gram: a
one-term search counts from it, and a gram no entry holds ends the search.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, overload

from django.db.models import Count, F, Lookup, Q, QuerySet

from standards.models import Region

from .models import EntryTheme, Gram, GramCount, SearchEntry
from .text import GRAM_SIZE, gram_number, grams_of_term

# A long term is narrowed by this many of its trigrams, the rarest (the
# substring check decides anyway; more semi-joins would cost more than they save).
TRIGRAMS_PER_TERM = 3


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


@dataclass(frozen=True)
class Postings:
    """The entries of one posting list (one gram code), in listing order.

    Entry keys are positions in the listing order, so the list read in key
    order is already sorted: a page is a range of the primary key, however
    many entries contain the gram.
    """

    code: int

    def __getitem__(self, index: slice) -> list[SearchEntry]:
        keys = Gram.objects.filter(code=self.code).order_by("entry").values("entry")
        return list(SearchEntry.objects.filter(pk__in=keys[index]).order_by("position"))


def _narrowing(numbers: set[int], counts: dict[int, GramCount]) -> list[int]:
    """The grams that narrow a term down: all of a short term's, a long one's rarest trigrams."""
    return sorted(numbers, key=lambda number: counts[number].entries)[:TRIGRAMS_PER_TERM]


def _holding(number: int) -> QuerySet[Gram, Any]:
    """The keys of the entries that hold a gram (in their names or elsewhere)."""
    return Gram.objects.filter(code__in=[2 * number, 2 * number + 1]).values("entry")


class AmongCandidates(Lookup[int]):
    """`key IN (candidate keys)`, with the candidates computed first on PostgreSQL.

    As a plain IN the planner may join the other way round: read every entry
    and match its text (a sequential scan of the catalogue) when it guesses
    the posting lists long. `= ANY(ARRAY(subquery))` makes the candidates one
    array, computed once from the postings, and the entries are then read by
    key. SQLite always evaluates IN (subquery) that way.
    """

    lookup_name = "among_candidates"

    def as_sql(self, compiler: Any, connection: Any) -> tuple[str, tuple[Any, ...]]:
        lhs, lhs_params = self.process_lhs(compiler, connection)
        rhs, rhs_params = self.process_rhs(compiler, connection)
        template = "%s = ANY(ARRAY%s)" if connection.vendor == "postgresql" else "%s IN %s"
        return template % (lhs, rhs), (*lhs_params, *rhs_params)


# One part of the result list: entries in listing order, sliceable.
Part = QuerySet[SearchEntry] | Postings


class Results:
    """The result list, sliceable for a Paginator: name matches first, then the rest.

    Both parts are in listing order (item name, then first indexed: the entry
    key). One query reads the gram counts; a one-term search without filters
    then pages through its two posting lists (a gram in the names, a gram only
    elsewhere); any other search counts both parts in one query. Four queries
    at most, whatever the size.
    """

    def __init__(self, terms: list[str], filters: Filters | None = None) -> None:
        filters = filters or Filters()
        entries = filtered(SearchEntry.objects.all(), filters)
        self.parts: list[Part] = [entries.order_by("position")]
        # What to count when the sizes are not known from the gram counts:
        # the matches and, with terms, the condition of the name matches.
        self._query: tuple[QuerySet[SearchEntry], Q | None] = (entries, None)
        self._counts: list[int] | None = None
        if not terms:
            return
        grams = {term: {gram_number(gram) for gram in grams_of_term(term)} for term in terms}
        counts = {
            count.gram: count
            for count in GramCount.objects.filter(
                gram__in={number for numbers in grams.values() for number in numbers},
                entries__gt=0,
            )
        }
        if any(number not in counts for numbers in grams.values() for number in numbers):
            # A gram that no entry holds: nothing matches, nothing more to read.
            self._counts = [0]
            return
        if len(terms) == 1 and len(terms[0]) <= GRAM_SIZE and filters == Filters():
            # The commonest search: its gram's two posting lists are the parts.
            (number,) = grams[terms[0]]
            count = counts[number]
            self.parts = [Postings(2 * number + 1), Postings(2 * number)]
            self._counts = [count.in_names, count.entries - count.in_names]
            return
        # Candidates from the postings alone: every term's grams (the rarest of a
        # long term's trigrams), the rarest gram of all read first.
        needed = sorted(
            {number for term in terms for number in _narrowing(grams[term], counts)},
            key=lambda number: counts[number].entries,
        )
        candidates = _holding(needed[0])
        for number in needed[1:]:
            candidates = candidates.filter(entry__in=_holding(number))
        entries = entries.filter(AmongCandidates(F("position"), candidates))
        for term in terms:
            if len(term) > GRAM_SIZE:
                # The trigrams may all occur without the term ("食品经" + "品经营").
                entries = entries.filter(folded__contains=term)
        in_names = Q()
        for term in terms:
            in_names &= Q(folded_names__contains=term)
        self._query = (entries, in_names)
        self.parts = [
            entries.filter(in_names).order_by("position"),
            entries.exclude(in_names).order_by("position"),
        ]

    def counts(self) -> list[int]:
        """The size of each part (one query counts both)."""
        if self._counts is None:
            entries, in_names = self._query
            if in_names is None:
                self._counts = [entries.count()]
            else:
                found = entries.aggregate(total=Count("pk"), names=Count("pk", filter=in_names))
                self._counts = [found["names"], found["total"] - found["names"]]
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
