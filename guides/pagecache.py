"""Whole guide pages for anonymous visitors, answered before the rest of the stack.

`SharedPageMiddleware` sits right under the security and static-file
middleware. For a plain GET of a guide page by a visitor who carries no session
or message cookie (so is anonymous and has nothing waiting to be shown), it
looks the page up in the cache and, when found, answers with the stored body
and headers: no session, authentication, URL resolution, view or database
query. Otherwise the request goes down the stack as usual; the view marks a
page it rendered for an anonymous visitor as shareable, and on the way back up
this middleware stores it with the headers the inner middleware added (CSP,
X-Frame-Options, Content-Language, Vary, ...). The security middleware above
adds its own headers (HSTS, nosniff, ...) to every answer, cached or not.

A page's key holds the portal's *generation*, a counter in the shared cache that
every publication, withdrawal or newly rendered PDF increments (after commit).
Bumping it retires every cached page at once, so a new version is visible on
the next request, on every web process — which is why the fast path is on only
with a cache shared by all processes (`settings.GUIDE_PAGE_FAST_PATH`, on with
Redis): with per-process memory, another worker would keep its stale copy. The
key also holds the day (a version taking effect at midnight shows), the
language, and a fingerprint of the page revision and of the settings that shape
the stored headers (so a deployment changing either does not serve old ones).

Each process also keeps the pages it served lately in its own memory, under
the same key, and the generation as it last read it (`GenerationWatch`):
`bump_generation` announces every increment on a Redis channel the process
listens to, and an announcement (or a lost connection, or two seconds) makes
it read the counter again. So a publication retires these copies as well, and
a cached view usually costs no round trip to Redis at all — no fetching and
unpickling ~80 KB per view, and no wait for Redis's turn on a busy CPU.

The key is computed before the view reads any row, and the page is stored
under that key: if a publication commits in between, the page lands under the
old generation, which no one asks for any more.

Never stored: a response that sets a cookie, a page that printed a CSRF token,
a message or the CSP nonce (a stored nonce would be reused for everyone), and
anything not marked by the view (signed-in users, `?on=` dates, errors).
"""

from __future__ import annotations

import contextlib
import datetime
import hashlib
import logging
import os
import re
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import django
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db import transaction
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.cache import get_conditional_response

from config.middleware import chosen_language
from search.popularity import count_view

# Bump when the page templates change, so cached pages of the old layout go.
PAGE_REVISION = "3"
GENERATION_KEY = "guides:generation"
# Where bump_generation announces a change to the processes' watches (Redis pub/sub).
CHANGES_CHANNEL = "guides:generation-changed"
# A watched counter is read again after this long even without an announcement.
RECHECK_SECONDS = 2.0
WATCH_CONNECT_SECONDS = 1.0
# After a watch failed, the counter is read on every request for this long.
WATCH_RETRY_SECONDS = 5.0
TIMEOUT = 24 * 3600
# Pages kept in each process's memory (about 80 KB each: ~20 MB at most).
LOCAL_PAGES = 256
# The guide pages of guides/urls.py (today's guide and numbered versions; not
# the PDFs or files), as request.path_info spells them (tested against the URLconf).
PAGE_PATH = re.compile(r"^/guides/[^/]+/[^/]+/(?:v[0-9]+/)?$")
# Headers a 304 does not repeat (the body they describe is not sent).
_BODY_HEADERS = frozenset({"content-type", "content-length"})


@dataclass(frozen=True)
class Shareable:
    """What the view says about a page it rendered that may be served to everyone."""

    etag: str
    last_modified: int
    standard_id: int


@dataclass(frozen=True)
class CachedPage:
    etag: str
    last_modified: int
    body: bytes
    standard_id: int
    headers: tuple[tuple[str, str], ...]


logger = logging.getLogger(__name__)
_local: OrderedDict[str, CachedPage] = OrderedDict()
_local_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "GUIDE_PAGE_FAST_PATH", False))


def _fresh_generation() -> int:
    """A starting value above any the counter had before: the clock in microseconds.

    The counter only grows by one per publication, so after the key is lost
    (evicted, or the cache flushed) starting again from the clock cannot meet a
    value that processes may still hold pages under.
    """
    return time.time_ns() // 1000


def generation() -> int:
    value = _read_generation()
    if value is None:
        cache.add(GENERATION_KEY, _fresh_generation(), None)
        value = cache.get(GENERATION_KEY) or _fresh_generation()
    return int(value)


def bump_generation() -> None:
    try:
        cache.incr(GENERATION_KEY)
    except ValueError:  # not set yet (or evicted): a fresh value retires every old key
        cache.set(GENERATION_KEY, _fresh_generation(), None)
    if (client := _redis_client()) is not None:
        # After the new value is stored: a process told of the change reads it.
        client.publish(cache.make_and_validate_key(CHANGES_CHANNEL), b"")
        # Redis may answer this process before writing the announcement to its
        # own subscription: its next request must not wait for that.
        with _watch_lock:
            if (watch := _watch_state["watch"]) is not None:
                watch.value = None


def bump_after_commit() -> None:
    transaction.on_commit(bump_generation)


def _read_generation() -> int | None:
    """The counter: from Django's cache, or with Redis, from this process's watch."""
    client = _redis_client()
    if client is None:
        value = cache.get(GENERATION_KEY)
        return None if value is None else int(value)
    key = cache.make_and_validate_key(GENERATION_KEY)

    def read() -> int | None:
        raw = client.get(key)
        return None if raw is None else int(raw)

    with _watch_lock:
        watch = _watch(client)
        if watch is not None:
            try:
                return watch.current(read)
            except Exception:  # any trouble: drop the watch, read directly
                logger.warning("guide page cache: generation watch lost", exc_info=True)
                _drop_watch()
    return read()


_clients: dict[str, Any] = {}


def _redis_client() -> Any:
    """One redis-py client per process for the generation, with Django's Redis cache.

    Django's backend builds a new `redis.Redis` for every operation, and redis-py
    copies its table of ~170 reply callbacks into each: ~0.25 ms of CPU, more
    than the whole round trip. This client talks to the cache's first (writing)
    server, where publications bump the counter, and reads the value as
    Django's backend stores integers: as plain digits, not pickled (so that
    `cache.incr` is atomic). redis-py clients are safe to share between
    threads, and their pools reconnect after a fork.
    """
    config: dict[str, Any] = settings.CACHES[DEFAULT_CACHE_ALIAS]
    if config["BACKEND"] != "django.core.cache.backends.redis.RedisCache":
        return None
    location = config["LOCATION"]
    server = re.split("[;,]", location)[0] if isinstance(location, str) else location[0]
    client = _clients.get(server)
    if client is None:
        import redis

        options = {
            name: value
            for name, value in config.get("OPTIONS", {}).items()
            if name not in ("serializer", "pool_class", "parser_class")  # Django's own
        }
        client = _clients[server] = redis.Redis.from_url(server, **options)
    return client


class GenerationWatch:
    """The counter as this process last read it, dropped when Redis announces a change.

    It subscribes, before its first read, to the channel `bump_generation`
    publishes on after each increment, and any message drops the value. When
    redis-py reconnects (announcements may have been lost meanwhile), nothing
    is kept until Redis confirms the new subscription. Age drops it too
    (`RECHECK_SECONDS`), in case a connection died without saying so.
    Most guide views then cost no round trip to Redis, only a look at this
    socket for waiting messages: the round trip was the one wait left in a
    cached view, and on a busy machine each wait costs a turn on the CPU.

    A publication is seen at once: its process increments the counter, then
    publishes and waits for Redis's reply; Redis has written the message to
    every subscriber's socket in the same turn of its event loop, before any
    request that follows the publication can reach a web process.
    """

    def __init__(self, client: Any, channel: str) -> None:
        self.client = client
        self.channel = channel
        self.value: int | None = None
        self.read_at = 0.0
        self.pubsub = client.pubsub()
        self.pubsub.subscribe(channel)
        confirmed = self.pubsub.get_message(timeout=WATCH_CONNECT_SECONDS)
        if not confirmed or confirmed.get("type") != "subscribe":
            self.close()
            raise ConnectionError(f"no confirmation of the subscription to {channel}")
        self.subscribed = True
        # redis-py reconnects (and re-subscribes) on its own; messages sent in
        # between are lost, so nothing is kept until the new subscription is confirmed.
        self.pubsub.connection.register_connect_callback(self._reconnected)

    def _reconnected(self, connection: Any) -> None:
        self.subscribed = False
        self.value = None

    def current(self, read: Callable[[], int | None]) -> int | None:
        while (message := self.pubsub.get_message(timeout=0.0)) is not None:
            self.value = None
            if message.get("type") == "subscribe":
                self.subscribed = True
        if self.value is None or time.monotonic() - self.read_at > RECHECK_SECONDS:
            # The time is taken before the read: a change after it is announced.
            self.read_at = time.monotonic()
            value = read()
            self.value = value if self.subscribed else None
            return value
        return self.value

    def close(self) -> None:
        with contextlib.suppress(Exception):  # closing a connection that may be broken
            self.pubsub.close()


_watch_lock = threading.Lock()
_watch_state: dict[str, Any] = {"pid": None, "watch": None, "failed_at": None}


def _watch(client: Any) -> GenerationWatch | None:
    """This process's watch (made on first use, again after a fork), or None for a while
    after one failed: the counter is then read from Redis on every request."""
    state = _watch_state
    channel = cache.make_and_validate_key(CHANGES_CHANNEL)
    if state["pid"] != os.getpid():  # a new process: the parent's socket is not ours
        state.update(pid=os.getpid(), watch=None, failed_at=None)
    watch = state["watch"]
    if watch is not None and (watch.client is not client or watch.channel != channel):
        _drop_watch()  # the cache settings changed (tests)
        state["failed_at"] = None
    if state["watch"] is None:
        failed_at = state["failed_at"]
        if failed_at is not None and time.monotonic() - failed_at < WATCH_RETRY_SECONDS:
            return None
        try:
            state["watch"] = GenerationWatch(client, channel)
        except Exception:  # Redis unreachable: read directly, retry later
            logger.warning("guide page cache: cannot watch the generation", exc_info=True)
            state["failed_at"] = time.monotonic()
            return None
    return state["watch"]


def _drop_watch() -> None:
    watch = _watch_state["watch"]
    if watch is not None:
        watch.close()
    _watch_state.update(watch=None, failed_at=time.monotonic())


def forget_watch() -> None:
    """Drop this process's watch (tests switching caches)."""
    with _watch_lock:
        watch = _watch_state["watch"]
        if watch is not None:
            watch.close()
        _watch_state.update(watch=None, failed_at=None)


def fingerprint() -> str:
    """Changes when the page layout or the settings behind the stored headers change."""
    shaping = (
        PAGE_REVISION,
        django.VERSION,
        settings.MIDDLEWARE,
        settings.SECURE_CSP,
        getattr(settings, "SECURE_CSP_REPORT_ONLY", {}),
        settings.X_FRAME_OPTIONS,
    )
    return hashlib.sha256(repr(shaping).encode()).hexdigest()[:12]


def page_key(
    generation: int, path: str, language: str, day: datetime.date, shaping: str = ""
) -> str:
    return (
        f"guides:page:{generation}:{shaping or fingerprint()}:{day.isoformat()}:{language}:{path}"
    )


def get(key: str) -> CachedPage | None:
    """The page under `key`: from this process's memory, else from the shared cache."""
    with _local_lock:
        page = _local.get(key)
        if page is not None:
            _local.move_to_end(key)
            return page
    found = cache.get(key)
    if not isinstance(found, CachedPage):
        return None
    _remember(key, found)
    return found


def put(key: str, page: CachedPage) -> None:
    cache.set(key, page, TIMEOUT)
    _remember(key, page)


def _remember(key: str, page: CachedPage) -> None:
    with _local_lock:
        _local[key] = page
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def forget_local() -> None:
    """Empty this process's copies (tests; the shared cache is left alone)."""
    with _local_lock:
        _local.clear()


def answer(request: HttpRequest, page: CachedPage) -> HttpResponse:
    """The stored page, or 304 when the visitor's copy is still current."""
    count_view(page.standard_id)
    conditional = get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified
    )
    if conditional is not None:
        for name, value in page.headers:
            if name.lower() not in _BODY_HEADERS:
                conditional[name] = value
        return conditional
    response = HttpResponse(page.body)
    for name, value in page.headers:
        response[name] = value
    return response


class SharedPageMiddleware:
    """Guide pages for anonymous visitors from the cache (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.personal_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        self.shaping = fingerprint()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = self._key(request)
        if not key:
            return self.get_response(request)
        # What CommonMiddleware would refuse (a Host not in ALLOWED_HOSTS) stays refused.
        request.get_host()
        if (page := get(key)) is not None:
            return answer(request, page)
        request.guide_page_key = key  # type: ignore[attr-defined]  # read by the view
        response = self.get_response(request)
        self._store(request, key, response)
        return response

    def _key(self, request: HttpRequest) -> str:
        if not (
            enabled()
            and request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
            and PAGE_PATH.match(request.path_info)
            and not any(name in request.COOKIES for name in self.personal_cookies)
        ):
            return ""
        language = chosen_language(request)
        return page_key(generation(), request.path, language, timezone.localdate(), self.shaping)

    @staticmethod
    def _store(request: HttpRequest, key: str, response: HttpResponseBase) -> None:
        shareable = getattr(response, "guide_shareable", None)
        if (
            not isinstance(shareable, Shareable)
            or not isinstance(response, HttpResponse)
            or response.status_code != 200
            or response.cookies
            or get_nonce(request)
        ):
            return
        page = CachedPage(
            etag=shareable.etag,
            last_modified=shareable.last_modified,
            body=response.content,
            standard_id=shareable.standard_id,
            headers=tuple(response.headers.items()),
        )
        put(key, page)
