"""Throwaway PostgreSQL databases for the benchmarks, and Django pointed at one.

The server is `BENCH_DATABASE_URL`, else `DATABASE_URL` when it is PostgreSQL,
else the local server (postgres://postgres@127.0.0.1:5432). Every database a
benchmark makes is named `<BENCH_DB_PREFIX>bench_<what>_<pid>` (the prefix is
empty unless set) and dropped when it is done.

A benchmark that needs the seeded data (`bench/seed_scale.py`) gets its own
copy with `CREATE DATABASE … TEMPLATE …`: a few seconds, against minutes to
migrate and seed again, and no benchmark sees another's writes.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def server_url() -> str:
    for variable in ("BENCH_DATABASE_URL", "DATABASE_URL"):
        url = os.environ.get(variable, "")
        if url.startswith(("postgres://", "postgresql://")):
            return url
    return "postgres://postgres@127.0.0.1:5432/postgres"


def with_database(url: str, name: str) -> str:
    parts = urlsplit(url)
    return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, ""))


def database_name(what: str) -> str:
    return f"{os.environ.get('BENCH_DB_PREFIX', '')}bench_{what}_{os.getpid()}"


def _admin(sql: str) -> None:
    import psycopg

    with psycopg.connect(with_database(server_url(), "postgres"), autocommit=True) as connection:
        connection.execute(sql)  # the names are ours (database_name), quoted


def create(name: str, *, template: str | None = None) -> str:
    """Create `name` (a copy of `template` when given); returns its URL."""
    copy = f' TEMPLATE "{template}"' if template else ""
    _admin(f'CREATE DATABASE "{name}"{copy}')
    return with_database(server_url(), name)


def drop(name: str) -> None:
    _admin(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def throwaway(what: str, *, template: str | None = None) -> Iterator[str]:
    """A new database (a copy of `template`) for the block; dropped afterwards."""
    name = database_name(what)
    url = create(name, template=template)
    try:
        yield url
    finally:
        close_django_connections()
        drop(name)


def setup_django(url: str) -> None:
    """Configure Django (development settings) on the database at `url`, in this process."""
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    # Publishing would render the PDFs in the task queue; the benchmarks
    # measure rendering on its own (pdf_bench), so no task runs here.
    os.environ.setdefault("TASKS_BACKEND", "django.tasks.backends.dummy.DummyBackend")
    import django

    django.setup()


def close_django_connections() -> None:
    if "django.db" in sys.modules:
        from django.db import connections

        connections.close_all()
