"""The Redis parts of running on several machines, against a real Redis.

- the shared cache (REDIS_URL): what one process writes another reads;
- the task queue on RQ (`ops.rq_backend.RQBackend`): a task enqueued here is
  run by an RQ worker and its result (or error) read back by id; /healthz
  reports the queue.

The cache test runs when a Redis answers at REDIS_URL or 127.0.0.1:6379 (database
12); the queue tests when one answers at TASKS_REDIS_URL, REDIS_URL or
127.0.0.1:6379 (database 15). Each test uses its own key
prefix / queue name and removes what it wrote.
"""

import json
import os
import subprocess
import sys
import uuid

import pytest
from django.conf import settings
from django.tasks import TaskResultStatus, task, task_backends
from django.test import override_settings

from standards.models import Region
from tests.redis_service import redis_answers

REDIS_URL = os.environ.get("REDIS_URL", "")
CACHE_URL = REDIS_URL or "redis://127.0.0.1:6379/12"
QUEUE_URL = os.environ.get("TASKS_REDIS_URL") or REDIS_URL or "redis://127.0.0.1:6379/15"


needs_redis_cache = pytest.mark.skipif(
    not redis_answers(CACHE_URL), reason=f"no Redis answers at {CACHE_URL}"
)
needs_redis_queue = pytest.mark.skipif(
    not redis_answers(QUEUE_URL), reason=f"no Redis answers at {QUEUE_URL}"
)


@task
def add(a: int, b: int) -> int:
    return a + b


@task
def count_regions(prefix: str) -> int:
    """Reads the database from the worker: Django is set up there too."""
    return Region.objects.filter(code__startswith=prefix).count()


@task
def fail(message: str) -> None:
    raise ValueError(message)


@needs_redis_cache
@override_settings(
    CACHES={
        "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": CACHE_URL}
    }
)
def test_the_redis_cache_is_shared_between_processes():
    """This process and another one started with REDIS_URL, as a second machine would be."""
    from django.core.cache import caches

    key = f"reliability:{uuid.uuid4().hex}"
    cache = caches["default"]
    assert cache.__class__.__name__ == "RedisCache"
    cache.set(key, {"值": [1, 2, 3]}, timeout=30)
    program = (
        "import django; django.setup();"
        "from django.core.cache import cache; import json, sys;"
        f"print(json.dumps(cache.get({key!r}), ensure_ascii=False));"
        f"cache.set({key!r} + ':back', 'from the other process', 30)"
    )
    other = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "-c", program],
        cwd=settings.BASE_DIR,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings", "REDIS_URL": CACHE_URL},
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    try:
        assert json.loads(other.stdout.strip().splitlines()[-1]) == {"值": [1, 2, 3]}
        assert cache.get(f"{key}:back") == "from the other process"
    finally:
        cache.delete_many([key, f"{key}:back"])


@pytest.fixture
def rq_tasks():
    """TASKS on RQ with a queue prefix of this test's own; the keys are removed afterwards."""
    prefix = f"reliability-{uuid.uuid4().hex[:12]}:"
    configuration = {
        "default": {
            "BACKEND": "ops.rq_backend.RQBackend",
            "OPTIONS": {"URL": QUEUE_URL, "QUEUE_PREFIX": prefix},
        }
    }
    with override_settings(TASKS=configuration):
        backend = task_backends["default"]
        yield backend
        connection = backend.connection
        keys = list(connection.scan_iter(match=f"*{prefix}*"))
        jobs = list(connection.scan_iter(match="rq:job:*"))
        ours = [k for k in jobs if connection.hget(k, "origin") == f"{prefix}default".encode()]
        for key in keys + ours:
            connection.delete(key)


def run_worker(backend):
    """A real RQ worker in this process (no fork: it must see this test's database).

    Tests whose tasks read the database are transactional: the worker closes
    stale connections around every job, as a long-lived worker must, which
    would end a test's open transaction.
    """
    import signal

    from rq import SimpleWorker

    # The worker installs its own SIGINT/SIGTERM handlers (a stop request raises
    # inside whatever runs next); the test run's own are put back afterwards.
    handlers = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        worker = SimpleWorker([backend.queue("default")], connection=backend.connection)
        worker.work(burst=True, with_scheduler=False)
    finally:
        for number, handler in handlers.items():
            signal.signal(number, handler)


@needs_redis_queue
@pytest.mark.django_db(transaction=True)
def test_a_task_runs_on_an_rq_worker_and_its_result_is_read_back(rq_tasks):
    Region.objects.create(code="990000", name="测试省", level=Region.Level.PROVINCE)
    summed = add.enqueue(2, 3)
    counted = count_regions.enqueue("99")
    assert summed.status == TaskResultStatus.READY
    assert add.get_result(summed.id).status == TaskResultStatus.READY
    run_worker(rq_tasks)
    done = add.get_result(summed.id)
    assert done.status == TaskResultStatus.SUCCESSFUL
    assert done.return_value == 5
    assert done.args == [2, 3]
    assert done.finished_at is not None and done.worker_ids
    assert count_regions.get_result(counted.id).return_value == 1


@needs_redis_queue
@pytest.mark.django_db
def test_a_failing_task_is_reported_with_its_error(rq_tasks):
    failed = fail.enqueue("不合格")
    run_worker(rq_tasks)
    result = fail.get_result(failed.id)
    assert result.status == TaskResultStatus.FAILED
    assert result.errors[0].exception_class is ValueError
    assert "不合格" in result.errors[0].traceback


@needs_redis_queue
def test_an_unknown_result_id_is_reported_as_missing(rq_tasks):
    from django.tasks.exceptions import TaskResultDoesNotExist

    with pytest.raises(TaskResultDoesNotExist):
        rq_tasks.get_result(str(uuid.uuid4()))


@needs_redis_queue
@pytest.mark.django_db
def test_healthz_reports_the_rq_queue(rq_tasks, client):
    add.enqueue(1, 1)
    add.enqueue(1, 2)
    body = client.get("/healthz").json()
    assert body["checks"]["tasks"] == {"ok": True, "backend": "rq", "queued": 2, "failed": 0}
    run_worker(rq_tasks)
    assert client.get("/healthz").json()["checks"]["tasks"]["queued"] == 0


@needs_redis_queue
@pytest.mark.django_db
def test_the_publication_rendering_task_goes_through_the_queue(rq_tasks):
    """The product's own task is accepted by the RQ backend (run later by a worker)."""
    from standards.tasks import render_published_documents

    queued = render_published_documents.enqueue(12345)
    job = rq_tasks.get_result(queued.id)
    assert job.task.module_path == "standards.tasks.render_published_documents"
    assert job.args == [12345]
