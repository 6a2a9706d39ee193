"""The portal's *generation*: a counter that retires every cached guide page at once.

Every publication, withdrawal or newly rendered PDF increments it after commit
(`guides/signals.py`); guide pages are cached under it (`guides.pagecache`).
It lives in the shared cache. With Redis, each web process keeps the value as
it last read it (`GenerationWatch`): `bump_generation` announces every
increment on a Redis channel the process listens to, and an announcement (or
a lost connection, or two seconds) makes it read the counter again, so a
cached view usually costs no round trip to Redis (ADR 0019).
"""

from __future__ import annotations

import contextlib
import logging
import os
import re
import threading
import time
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.cache import DEFAULT_CACHE_ALIAS, cache
from django.db import transaction

GENERATION_KEY = "guides:generation"
# Where bump_generation announces a change to the processes' watches (Redis pub/sub).
CHANGES_CHANNEL = "guides:generation-changed"
# A watched counter is read again after this long even without an announcement.
RECHECK_SECONDS = 2.0
WATCH_CONNECT_SECONDS = 1.0
# After a watch failed, the counter is read on every request for this long.
WATCH_RETRY_SECONDS = 5.0

logger = logging.getLogger(__name__)


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
