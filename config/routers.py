"""Reads of public pages from a PostgreSQL read replica; everything else on the primary.

Switched on by `DATABASE_REPLICA_URL` (config/settings.py adds the `replica`
database, this router and `ReplicaReadsMiddleware`). Without it nothing here
runs and every query goes to `default`, as before.

Which reads may go to the replica, and why only those:
- an anonymous GET or HEAD (the citizen's guide, search, feed, exports) sees
  published data only, where a second of replication lag is harmless;
- a signed-in user always reads the primary, so an editor sees their own save
  on the next page (no read-your-writes surprise);
- inside a transaction every read goes to the primary: the code that runs in
  one (saving, publishing, locking rows) must read what it is about to write;
- writes always go to the primary, and migrations run there only.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any

from django.db import DEFAULT_DB_ALIAS, connections
from django.http import HttpRequest, HttpResponse

REPLICA = "replica"
PRIMARY = DEFAULT_DB_ALIAS

_replica_allowed: ContextVar[bool] = ContextVar("replica_reads_allowed", default=False)


@contextmanager
def replica_reads() -> Iterator[None]:
    """Within this block, reads outside a transaction may go to the replica."""
    token = _replica_allowed.set(True)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


@contextmanager
def primary_reads() -> Iterator[None]:
    """Within this block every read goes to the primary, even in a public request.

    For what is kept after the request: a guide page stored in the shared
    cache right after a publication must not be read from a replica that has
    not caught up, or the old version would be kept under the new key.
    """
    token = _replica_allowed.set(False)
    try:
        yield
    finally:
        _replica_allowed.reset(token)


def replica_reads_allowed() -> bool:
    return _replica_allowed.get()


class PrimaryReplicaRouter:
    def db_for_read(self, model: type[Any], **hints: Any) -> str:
        if not _replica_allowed.get() or REPLICA not in connections:
            return PRIMARY
        if connections[PRIMARY].in_atomic_block:
            return PRIMARY
        return REPLICA

    def db_for_write(self, model: type[Any], **hints: Any) -> str:
        return PRIMARY

    def allow_relation(self, obj1: Any, obj2: Any, **hints: Any) -> bool | None:
        # Both aliases hold the same rows: objects read from either may be related.
        databases = {PRIMARY, REPLICA}
        if obj1._state.db in databases and obj2._state.db in databases:
            return True
        return None

    def allow_migrate(self, db: str, app_label: str, **hints: Any) -> bool:
        # The replica follows the primary's schema through replication.
        return db == PRIMARY


class ReplicaReadsMiddleware:
    """Lets an anonymous GET/HEAD read from the replica (placed after AuthenticationMiddleware)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        user = getattr(request, "user", None)
        anonymous = user is None or not user.is_authenticated
        if request.method in ("GET", "HEAD") and anonymous:
            with replica_reads():
                return self.get_response(request)
        return self.get_response(request)
