"""gunicorn with the production settings, as the HTTP benchmarks serve the app.

`http_bench` and `mixed_load` both measure the product as deployed: DEBUG off,
a throwaway secret, plain HTTP on loopback, two sync workers, Redis as the
shared cache when the machine has one. This module is that setup, once.
"""

from __future__ import annotations

import http.client
import os
import secrets
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

BASE_DIR = Path(__file__).resolve().parent.parent


def redis_url() -> str:
    """The machine's Redis (a shared cache, as production runs), or "" if none answers."""
    url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
    parts = urlsplit(url)
    try:
        with socket.create_connection((parts.hostname or "127.0.0.1", parts.port or 6379), 1):
            return url
    except OSError:
        return ""


def production_environment(database_url: str, **extra: str) -> dict[str, str]:
    """The environment of a production-like process on `database_url`."""
    return {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DEBUG": "false",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "SECURE_SSL_REDIRECT": "false",
        "ALLOWED_HOSTS": "127.0.0.1,localhost",
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "PYTHONPATH": str(BASE_DIR),
        # A shared cache turns on the guide pages' no-query fast path.
        "REDIS_URL": redis_url(),
        **extra,
    }


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def wait_for(port: int, path: str, timeout: float = 60) -> None:
    """Until `path` answers 200 (the first request also warms its cache)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            connection = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            connection.request("GET", path, headers={"Host": "127.0.0.1"})
            if connection.getresponse().status == 200:
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"the server did not answer {path} in {timeout} s")


@contextmanager
def gunicorn(environment: dict[str, str]) -> Iterator[int]:
    """gunicorn (2 sync workers) on a free loopback port for the block; yields the port."""
    port = free_port()
    server = subprocess.Popen(  # noqa: S603 - our interpreter's gunicorn, our app
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "config.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
        ],
        cwd=BASE_DIR,
        env=environment,
    )
    try:
        yield port
    finally:
        server.terminate()
        server.wait(timeout=30)
