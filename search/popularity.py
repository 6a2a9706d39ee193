"""How often each public guide is opened, for the home page's "most viewed".

`record_view` is called on every guide page view, so it is one statement: an
INSERT that turns into an increment when the row exists. The database
serialises concurrent increments of the same row, so no view is lost and no
duplicate row can appear (PostgreSQL and SQLite both support ON CONFLICT).
"""

from __future__ import annotations

from django.db import connection
from django.db.models import F, QuerySet

from .models import ItemView, SearchEntry

_TABLE = ItemView._meta.db_table


def record_view(standard_id: int) -> None:
    """Count one view of the guide of a standard."""
    quote = connection.ops.quote_name
    table, key, views = quote(_TABLE), quote("standard_id"), quote("views")
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({key}, {views}) VALUES (%s, 1) "  # noqa: S608  (names are ours)
            f"ON CONFLICT ({key}) DO UPDATE SET {views} = {table}.{views} + 1",
            [standard_id],
        )


def most_viewed(limit: int = 10) -> QuerySet[SearchEntry]:
    """The published entries opened most often (one query, led by the views index)."""
    return (
        SearchEntry.objects.filter(standard__item_view__views__gt=0)
        .annotate(views=F("standard__item_view__views"))
        .order_by("-views", "item_name", "id")[:limit]
    )
