"""Whole guide pages for anonymous visitors, answered from the cache alone.

A page's key holds the portal's *generation*, a counter in the shared cache that
every publication, withdrawal or newly rendered PDF increments (after commit).
Bumping it retires every cached page at once, so a new version is visible on
the next request, on every web process — which is why the fast path is on only
with a cache shared by all processes (`settings.GUIDE_PAGE_FAST_PATH`, on with
Redis): with per-process memory, another worker would keep its stale copy.
Pages are also keyed by the day, so a version taking effect at midnight shows.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

GENERATION_KEY = "guides:generation"
TIMEOUT = 24 * 3600


@dataclass(frozen=True)
class CachedPage:
    etag: str
    last_modified: int
    body: bytes
    standard_id: int


def enabled() -> bool:
    return bool(getattr(settings, "GUIDE_PAGE_FAST_PATH", False))


def generation() -> int:
    value = cache.get(GENERATION_KEY)
    if value is None:
        cache.add(GENERATION_KEY, 1, None)
        value = cache.get(GENERATION_KEY) or 1
    return int(value)


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): any new value retires old keys
        cache.set(GENERATION_KEY, generation() + 1, None)


def bump_after_commit() -> None:
    transaction.on_commit(bump_generation)


def page_key(path: str, language: str, day: datetime.date) -> str:
    return f"guides:page:{generation()}:{day.isoformat()}:{language}:{path}"


def get(path: str, language: str, day: datetime.date) -> CachedPage | None:
    found = cache.get(page_key(path, language, day))
    return found if isinstance(found, CachedPage) else None


def put(path: str, language: str, day: datetime.date, page: CachedPage) -> None:
    cache.set(page_key(path, language, day), page, TIMEOUT)
