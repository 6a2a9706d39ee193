"""GET /healthz: the database, the cache and the task queue, as JSON; 503 when one fails."""

import datetime
import json
import os
import subprocess
import sys

import pytest
from django.conf import settings
from django.test import override_settings
from django.utils import timezone

pytestmark = pytest.mark.django_db

DATABASE_QUEUE = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A Redis cache on a port where nothing listens: every call fails quickly.
BROKEN_CACHE = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": "redis://127.0.0.1:1/0",
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5},
    }
}


def health(client):
    response = client.get("/healthz")
    return response, json.loads(response.content)


@override_settings(TASKS=DATABASE_QUEUE)
def test_all_checks_pass_with_200_and_the_queue_counts(client):
    from standards.tasks import render_published_documents

    queued = render_published_documents.enqueue(1)
    response, body = health(client)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert body["status"] == "ok"
    assert body["checks"]["database"] == {"ok": True}
    assert body["checks"]["cache"] == {"ok": True}
    assert body["checks"]["tasks"] == {"ok": True, "backend": "database", "queued": 1, "overdue": 0}
    assert queued.id


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_task_waiting_too_long_is_counted_as_overdue(client):
    from django_tasks_db.models import DBTaskResult

    from standards.tasks import render_published_documents

    result = render_published_documents.enqueue(1)
    DBTaskResult.objects.filter(id=result.id).update(
        enqueued_at=timezone.now() - datetime.timedelta(hours=1)
    )
    _, body = health(client)
    assert body["checks"]["tasks"]["overdue"] == 1


@override_settings(CACHES=BROKEN_CACHE, TASKS=DATABASE_QUEUE)
def test_a_failing_cache_gives_503_and_names_only_the_error_class(client):
    response, body = health(client)
    assert response.status_code == 503
    assert body["status"] == "fail"
    assert body["checks"]["cache"] == {"ok": False, "error": "ConnectionError"}
    assert body["checks"]["database"] == {"ok": True}
    assert "127.0.0.1" not in response.content.decode()


@override_settings(TASKS=DATABASE_QUEUE)
def test_a_missing_queue_table_gives_503(client, monkeypatch):
    from django_tasks_db.models import DBTaskResult

    monkeypatch.setattr(DBTaskResult._meta, "db_table", "no_such_task_table")
    response, body = health(client)
    assert response.status_code == 503
    # SQLite and PostgreSQL name the missing table differently.
    assert body["checks"]["tasks"]["ok"] is False
    assert body["checks"]["tasks"]["error"] in {"OperationalError", "ProgrammingError"}


def test_an_unreachable_database_gives_503():
    """A real process whose database server does not answer (nothing listens on port 1)."""
    program = (
        "import django, json; django.setup();"
        "from django.test import Client; r = Client().get('/healthz');"
        "print(r.status_code, r.content.decode())"
    )
    environment = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DATABASE_URL": "postgres://nobody@127.0.0.1:1/nothing?connect_timeout=2",
        "TASKS_BACKEND": "django.tasks.backends.dummy.DummyBackend",
        "ALLOWED_HOSTS": "testserver",
    }
    environment.pop("REDIS_URL", None)
    done = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", program],
        cwd=settings.BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    status, body = done.stdout.strip().splitlines()[-1].split(" ", 1)
    assert status == "503"
    assert json.loads(body)["checks"]["database"] == {"ok": False, "error": "OperationalError"}
    assert "nobody" not in body


def test_the_answer_is_never_cached_and_only_for_get(client):
    response, _ = health(client)
    assert "no-store" in response["Cache-Control"]
    assert client.post("/healthz").status_code == 405


def test_the_answer_holds_no_setting_or_secret(client, settings):
    response, body = health(client)
    text = response.content.decode()
    for secret in (settings.SECRET_KEY, str(settings.DATABASES["default"]["NAME"])):
        assert secret not in text
    assert set(body) == {"status", "checks"}


def test_the_check_is_cheap(client, django_assert_max_num_queries):
    # SELECT 1 and, with the database queue, two counts.
    with (
        override_settings(TASKS=DATABASE_QUEUE),
        django_assert_max_num_queries(3),
    ):
        assert client.get("/healthz").status_code == 200
