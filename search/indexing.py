"""Keeps the search index equal to the published catalogue.

An entry mirrors the published version of a standard (state "published",
with its snapshot); a standard with none has no entry. `reindex_standard`
recomputes that for one standard and is safe to call any number of times;
`sync_index` does it for every standard whose entry is missing or stale.
Only public fields (registry audience guide or both) are read.

Three things move together: the entry (whose key is its place in the listing
order, see `place_for`), its postings (`postings_of`) and the per-gram entry
counts (`GramCount`), which every posting written or deleted here adjusts.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import connection, transaction

from standards.models import Region, Standard, StandardVersion
from standards.registry import REGISTRY, Audience, Field

from .models import EntryTheme, Gram, GramCount, SearchEntry
from .text import fold, gram_number, grams_of_text


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
    _lock_index()
    version = current_version(standard_id)
    existing = SearchEntry.objects.filter(standard_id=standard_id).first()
    if existing is not None and version is not None and existing.version_id == version.pk:
        return existing
    previous: tuple[str, int] | None = None  # name and place of the entry replaced
    if existing is not None:
        previous = (existing.item_name, existing.position)
        count_postings(postings_of(existing), -1)
        existing.delete()  # its postings and themes go with it
    if version is None:
        return None
    values = entry_values(version)
    if previous is not None and previous[0] == values["item_name"]:
        position = previous[1]  # same name: same place in the list
    else:
        position = place_for(values["item_name"])
    entry = SearchEntry.objects.create(position=position, standard_id=standard_id, **values)
    postings = postings_of(entry)
    Gram.objects.bulk_create(postings, batch_size=1000)
    count_postings(postings, +1)
    EntryTheme.objects.bulk_create(
        [EntryTheme(entry=entry, audience=a, code=c) for a, c in themes_of(version)]
    )
    return entry


def postings_of(entry: SearchEntry) -> list[Gram]:
    """The postings of an entry: one per gram of its text, odd codes for grams of its names."""
    in_names = grams_of_text(entry.folded_names)
    return [
        Gram(code=2 * gram_number(gram) + (gram in in_names), entry=entry)
        for gram in grams_of_text(entry.folded)
    ]


def count_postings(postings: Iterable[Gram], sign: int) -> None:
    """Add (sign +1) or remove (-1) postings to the per-gram entry counts.

    One upsert per batch, rows in gram order. Shared counts (证, 许可) are
    only locked by the writer holding `_lock_index`, so writers never deadlock.
    """
    rows = sorted((p.code >> 1, sign, sign * (p.code & 1)) for p in postings)
    table = connection.ops.quote_name(GramCount._meta.db_table)
    for start in range(0, len(rows), 500):
        batch = rows[start : start + 500]
        values = ", ".join(["(%s, %s, %s)"] * len(batch))
        # The table name is the model's own, never user input.
        sql = (
            f"INSERT INTO {table} (gram, entries, in_names) VALUES {values} "  # noqa: S608
            f"ON CONFLICT (gram) DO UPDATE SET entries = {table}.entries + excluded.entries, "
            f"in_names = {table}.in_names + excluded.in_names"
        )
        with connection.cursor() as cursor:
            cursor.execute(sql, [value for row in batch for value in row])


def recount_grams() -> None:
    """Recompute every per-gram count from the postings (after a bulk load or a repair)."""
    GramCount.objects.all().delete()
    gram, posting = GramCount._meta.db_table, Gram._meta.db_table
    quote = connection.ops.quote_name
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {quote(gram)} (gram, entries, in_names) "  # noqa: S608 (model tables)
            "SELECT code / 2, COUNT(*), SUM(code - code / 2 * 2) "  # odd codes: in the names
            f"FROM {quote(posting)} GROUP BY code / 2"
        )


# Positions. Consecutive entries start this far apart; an entry added between
# two takes a place in the gap; a gap used up is widened by moving a few
# neighbours (`_make_room`). 64-bit keys leave room for 2**31 entries at this
# spacing, and for about thirty additions in a row at one place before a move.
GAP = 1 << 32
# After a move, neighbours are at least this far apart (else the moved window grows).
MIN_SPACING = 1 << 16


def place_for(item_name: str) -> int:
    """A free position for a new entry named `item_name`, in the listing order.

    The new entry goes after every entry whose name sorts before or equal to
    it (so equal names stay in the order they were indexed) and before every
    entry whose name sorts after it, as the database sorts names: the listing
    order is exactly (item name, position).
    """
    _lock_index()
    while True:
        before = (
            SearchEntry.objects.filter(item_name__lte=item_name)
            .order_by("-item_name", "-position")
            .values_list("position", "item_name")
            .first()
        )
        after = (
            SearchEntry.objects.filter(item_name__gt=item_name)
            .order_by("item_name", "position")
            .values_list("position", flat=True)
            .first()
        )
        if before is None:
            return (0 if after is None else after) - GAP
        low, name_before = before
        if after is None:
            return low + GAP
        if after - low > 1:
            # The same item published in one more region is the likeliest next
            # entry here: it goes right after this one, so leave it most of the gap.
            step = (after - low) // (16 if name_before == item_name else 2)
            return low + max(step, 1)
        _make_room(low, after)


def _lock_index() -> None:
    """Serialise index writers until the commit (PostgreSQL; SQLite has one writer anyway).

    Positions are allocated from what the neighbours hold, so two writers must
    not allocate at once; and the shared gram counts are then only ever locked
    by the writer holding this lock, so writers cannot deadlock on them.
    Publishing is rare and a reindex takes milliseconds: nobody waits long.
    """
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [0x5EA2C4])


def _make_room(low: int, high: int) -> None:
    """Spread the entries around the adjacent positions `low` and `high` so a gap opens."""
    size = 8
    while True:
        left = list(
            SearchEntry.objects.filter(position__lte=low)
            .order_by("-position")
            .values_list("position", flat=True)[: size + 1]
        )
        right = list(
            SearchEntry.objects.filter(position__gte=high)
            .order_by("position")
            .values_list("position", flat=True)[: size + 1]
        )
        window = [*reversed(left[:size]), *right[:size]]
        # The entries just outside the window stay; past the ends there is free room.
        lowest = left[size] if len(left) > size else window[0] - GAP * len(window)
        highest = right[size] if len(right) > size else window[-1] + GAP * len(window)
        # One slot more than the window holds: the one being made, after `low`.
        spacing = (highest - lowest) // (len(window) + 2)
        if spacing >= MIN_SPACING or (len(left) <= size and len(right) <= size):
            break
        size *= 2
    slots = [lowest + spacing * (index + 1) for index in range(len(window) + 1)]
    del slots[min(len(left), size)]  # the free slot, between `low` and `high`
    _move({old: new for old, new in zip(window, slots, strict=True) if old != new})


def _move(moves: dict[int, int]) -> None:
    """Give entries new positions; their postings and themes follow (counts do not change)."""
    entries = list(SearchEntry.objects.filter(pk__in=moves))
    themes = list(EntryTheme.objects.filter(entry__in=moves))
    # All out first: a new position may be another moved entry's old one.
    SearchEntry.objects.filter(pk__in=moves).delete()
    for entry in entries:
        entry.position = moves[entry.position]
    SearchEntry.objects.bulk_create(entries)
    Gram.objects.bulk_create(
        [posting for entry in entries for posting in postings_of(entry)], batch_size=1000
    )
    for theme in themes:
        theme.pk = None
        theme.entry_id = moves[theme.entry_id]
    EntryTheme.objects.bulk_create(themes)


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
        GramCount.objects.all().delete()
        EntryTheme.objects.all().delete()
        SearchEntry.objects.all().delete()
    return sync_index()
