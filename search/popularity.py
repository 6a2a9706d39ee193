"""How often each public guide is opened, for the home page's "most viewed".

`record_view` is one statement: an INSERT that turns into an increment when
the row exists. The database serialises concurrent increments of the same row,
so no view is lost and no duplicate row can appear (PostgreSQL and SQLite both
support ON CONFLICT).

The guide page calls `count_view`, which adds up views in the process's memory
and writes them with `record_view` once `settings.GUIDE_VIEW_BATCH` have
gathered or `settings.GUIDE_VIEW_FLUSH_SECONDS` have passed: a write per view would cost a commit on
the portal's hottest page. A process that dies loses at most one batch — an
acceptable error for a popularity ranking.
"""

from __future__ import annotations

import threading
import time
from collections import Counter

from django.conf import settings
from django.db import connection, transaction
from django.db.models import F, QuerySet

from standards.models import Standard

from .models import ItemView, SearchEntry

_TABLE = ItemView._meta.db_table


_pending: Counter[int] = Counter()
_lock = threading.Lock()
_last_flush = time.monotonic()


def record_view(standard_id: int, views: int = 1) -> None:
    """Count `views` views of the guide of a standard, at once.

    Views of a standard deleted since they were counted are dropped: one such
    id must not fail the insert (a foreign key) and lose the whole batch.
    """
    quote = connection.ops.quote_name
    table, key, column = quote(_TABLE), quote("standard_id"), quote("views")
    standards, standard_pk = quote(Standard._meta.db_table), quote("id")
    with connection.cursor() as cursor:
        cursor.execute(
            # The WHERE also tells SQLite's parser that ON CONFLICT is not a join's.
            f"INSERT INTO {table} ({key}, {column}) "  # noqa: S608  (names are ours)
            f"SELECT %s, %s WHERE EXISTS (SELECT 1 FROM {standards} WHERE {standard_pk} = %s) "
            f"ON CONFLICT ({key}) DO UPDATE SET {column} = {table}.{column} + %s",
            [standard_id, views, standard_id, views],
        )


def count_view(standard_id: int) -> None:
    """Count one view in memory; write the gathered views when a batch is full."""
    global _last_flush
    with _lock:
        _pending[standard_id] += 1
        due = (
            sum(_pending.values()) >= settings.GUIDE_VIEW_BATCH
            or time.monotonic() - _last_flush >= settings.GUIDE_VIEW_FLUSH_SECONDS
        )
        if not due:
            return
        batch = dict(_pending)
        _pending.clear()
        _last_flush = time.monotonic()
    flush(batch)


def flush(batch: dict[int, int] | None = None) -> None:
    """Write gathered views (all pending ones when `batch` is None)."""
    global _last_flush
    if batch is None:
        with _lock:
            batch = dict(_pending)
            _pending.clear()
            _last_flush = time.monotonic()
    if not batch:
        return
    with transaction.atomic():
        for standard_id, views in sorted(batch.items()):  # sorted: no deadlock between writers
            record_view(standard_id, views)


def discard_pending() -> None:
    """Forget the views gathered and not yet written (tests start from none)."""
    global _last_flush
    with _lock:
        _pending.clear()
        _last_flush = time.monotonic()


def most_viewed(limit: int = 10) -> QuerySet[SearchEntry]:
    """The published entries opened most often (one query, led by the views index)."""
    return (
        SearchEntry.objects.filter(standard__item_view__views__gt=0)
        .annotate(views=F("standard__item_view__views"))
        .order_by("-views", "position")[:limit]
    )
