"""The environment variables of docs/deploy.md switch each piece on; with none, nothing changes.

Each case imports config.settings in a fresh process with a chosen environment
(the settings are read once per process).
"""

import json
import os
import subprocess
import sys

from django.conf import settings

SWITCHES = ("DATABASE_REPLICA_URL", "TASKS_BACKEND", "TASKS_REDIS_URL", "REDIS_URL")
PROGRAM = """
import json
from config import settings as s
print(json.dumps({
    "databases": {k: v.get("TEST", {}).get("MIRROR") for k, v in s.DATABASES.items()},
    "routers": getattr(s, "DATABASE_ROUTERS", []),
    "middleware": s.MIDDLEWARE,
    "tasks": s.TASKS["default"],
    "cache": s.CACHES["default"]["BACKEND"],
}))
"""


def settings_with(**variables):
    environment = {k: v for k, v in os.environ.items() if k not in SWITCHES}
    environment.update(variables)
    done = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", PROGRAM],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    return done


def read(done):
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout.strip().splitlines()[-1])


def test_without_any_switch_the_single_machine_setup_is_unchanged():
    found = read(settings_with())
    assert found["databases"] == {"default": None}
    assert found["routers"] == []
    assert "config.routers.ReplicaReadsMiddleware" not in found["middleware"]
    assert found["tasks"] == {"BACKEND": "django_tasks_db.DatabaseBackend"}
    assert found["cache"] == "django.core.cache.backends.locmem.LocMemCache"


def test_a_replica_url_adds_the_replica_the_router_and_the_middleware():
    found = read(settings_with(DATABASE_REPLICA_URL="postgres://reader@replica:5432/standards"))
    assert found["databases"] == {"default": None, "replica": "default"}
    assert found["routers"] == ["config.routers.PrimaryReplicaRouter"]
    middleware = found["middleware"]
    position = middleware.index("config.routers.ReplicaReadsMiddleware")
    assert middleware[position - 1] == "django.contrib.auth.middleware.AuthenticationMiddleware"


def test_rq_puts_the_task_queue_in_redis():
    found = read(settings_with(TASKS_BACKEND="rq", TASKS_REDIS_URL="redis://queue:6379/1"))
    assert found["tasks"] == {
        "BACKEND": "ops.rq_backend.RQBackend",
        "OPTIONS": {"URL": "redis://queue:6379/1", "QUEUE_PREFIX": ""},
    }
    shared = read(settings_with(TASKS_BACKEND="rq", REDIS_URL="redis://cache:6379/0"))
    assert shared["tasks"]["OPTIONS"]["URL"] == "redis://cache:6379/0"
    assert shared["cache"] == "django.core.cache.backends.redis.RedisCache"


def test_rq_without_a_redis_url_stops_at_start_naming_the_variable():
    done = settings_with(TASKS_BACKEND="rq")
    assert done.returncode != 0
    assert "TASKS_REDIS_URL" in done.stderr
