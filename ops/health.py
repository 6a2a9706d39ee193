"""The checks behind /healthz: database, cache and task queue.

Each check is cheap (one trivial query, one cache round trip, two counts on an
indexed column) and reports only what an operator needs: ok or not, a short
error class name, counts. No host names, URLs or messages that could carry a
secret leave the process.
"""

from __future__ import annotations

import datetime
import uuid
from typing import Any

from django.conf import settings
from django.core.cache import caches
from django.db import connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.tasks import DEFAULT_TASK_BACKEND_ALIAS, task_backends
from django.utils import timezone

# A task still waiting after this long means no worker is taking work.
OVERDUE_AFTER = datetime.timedelta(minutes=10)


def _failure(error: BaseException) -> dict[str, Any]:
    # The class name only: messages may quote connection strings.
    return {"ok": False, "error": type(error).__name__}


def check_database(alias: str = "default") -> dict[str, Any]:
    return ping_database(connections[alias])


def ping_database(connection: BaseDatabaseWrapper) -> dict[str, Any]:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as error:  # any failure makes the check fail
        return _failure(error)
    return {"ok": True}


def check_cache(alias: str = "default") -> dict[str, Any]:
    key = f"healthz:{uuid.uuid4().hex}"
    try:
        cache = caches[alias]
        cache.set(key, "1", timeout=10)
        found = cache.get(key)
        cache.delete(key)
    except Exception as error:
        return _failure(error)
    if found != "1":
        return {"ok": False, "error": "CacheMiss"}
    return {"ok": True}


def check_tasks() -> dict[str, Any]:
    """The default task backend's queue: reachable, how much waits, how much waits too long."""
    try:
        backend = task_backends[DEFAULT_TASK_BACKEND_ALIAS]
        health = getattr(backend, "health", None)
        if health is not None:  # our RQ backend reports on its own queue
            return {"ok": True, **health()}
        if type(backend).__module__.startswith("django_tasks_db"):
            return {"ok": True, "backend": "database", **_database_queue()}
    except Exception as error:
        return _failure(error)
    # Dummy and immediate backends keep no queue to reach.
    return {"ok": True, "backend": type(backend).__name__}


def _database_queue() -> dict[str, int]:
    from django.db.models import Q
    from django_tasks_db.models import DBTaskResult, get_date_max

    waiting = DBTaskResult.objects.filter(status="READY")
    cutoff = timezone.now() - OVERDUE_AFTER
    # A task without run_after is stored with the largest date: it is due since enqueued.
    overdue = waiting.filter(
        Q(run_after=get_date_max(), enqueued_at__lt=cutoff) | Q(run_after__lt=cutoff)
    )
    return {"queued": waiting.count(), "overdue": overdue.count()}


def run_checks() -> dict[str, dict[str, Any]]:
    checks = {"database": check_database(), "cache": check_cache(), "tasks": check_tasks()}
    if getattr(settings, "DATABASE_REPLICA_URL", ""):
        checks["database_replica"] = check_database("replica")
    return checks
