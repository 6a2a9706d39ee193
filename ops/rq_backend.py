"""A backend for Django's tasks framework on RQ (Redis Queue): one queue shared by many machines.

    TASKS = {"default": {"BACKEND": "ops.rq_backend.RQBackend",
                         "OPTIONS": {"URL": "redis://queue-host:6379/1"}}}

Web processes enqueue into Redis; `manage.py rq_worker` on any number of
machines takes the work. Why our own ~150 lines rather than django-tasks-rq:
that package is written against the `django_tasks` backport (its own task,
result and signal classes), while this project uses the tasks framework built
into Django 6.1 (ADR 16).

A job carries the task's import path and its JSON arguments only; the worker
imports the task and calls it. Results (return value or the error's class
and traceback) are kept in Redis for `RESULT_TTL` seconds and read back by
`Task.get_result(id)`.
"""

from __future__ import annotations

import traceback
import uuid
from datetime import UTC, datetime
from typing import Any

from django.db import close_old_connections
from django.tasks.backends.base import BaseTaskBackend
from django.tasks.base import Task, TaskError, TaskResult, TaskResultStatus
from django.tasks.exceptions import TaskResultDoesNotExist
from django.tasks.signals import task_enqueued
from django.utils.json import normalize_json
from django.utils.module_loading import import_string
from redis import Redis
from rq import Queue, get_current_job
from rq.exceptions import NoSuchJobError
from rq.job import Job, JobStatus

DEFAULT_RESULT_TTL = 7 * 24 * 3600

STATUS = {
    JobStatus.CREATED: TaskResultStatus.READY,
    JobStatus.QUEUED: TaskResultStatus.READY,
    JobStatus.DEFERRED: TaskResultStatus.READY,
    JobStatus.SCHEDULED: TaskResultStatus.READY,
    JobStatus.READY_TO_ENQUEUE: TaskResultStatus.READY,
    JobStatus.RATE_LIMITED: TaskResultStatus.READY,
    JobStatus.STARTED: TaskResultStatus.RUNNING,
    JobStatus.FINISHED: TaskResultStatus.SUCCESSFUL,
    JobStatus.FAILED: TaskResultStatus.FAILED,
    JobStatus.STOPPED: TaskResultStatus.FAILED,
    JobStatus.CANCELED: TaskResultStatus.FAILED,
}


def execute(module_path: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
    """What an RQ worker runs for every job: import the task and call it."""
    # A worker lives long: drop database connections that timed out between jobs.
    close_old_connections()
    try:
        task: Task = import_string(module_path)
        return normalize_json(task.call(*args, **kwargs))
    except Exception as error:
        job = get_current_job()
        if job is not None:
            kind = type(error)
            job.meta["exception_class_path"] = f"{kind.__module__}.{kind.__qualname__}"
            job.meta["traceback"] = "".join(traceback.format_exception(error))
            job.save_meta()
        raise
    finally:
        close_old_connections()


class RQBackend(BaseTaskBackend):
    supports_get_result = True
    # Deferred tasks would need RQ's scheduler beside every worker; none of ours defers.
    supports_defer = False
    supports_priority = False

    def __init__(self, alias: str, params: dict[str, Any]) -> None:
        super().__init__(alias, params)
        self.url: str = self.options.get("URL", "redis://127.0.0.1:6379/0")
        # Keeps several deployments (or test runs) apart on one Redis.
        self.prefix: str = self.options.get("QUEUE_PREFIX", "")
        self.result_ttl: int = int(self.options.get("RESULT_TTL", DEFAULT_RESULT_TTL))
        self._connection: Redis | None = None

    @property
    def connection(self) -> Redis:
        if self._connection is None:
            self._connection = Redis.from_url(self.url, socket_timeout=5, socket_connect_timeout=5)
        return self._connection

    def queue(self, name: str) -> Queue:
        return Queue(f"{self.prefix}{name}", connection=self.connection)

    def queue_names(self) -> list[str]:
        return sorted(self.queues)

    def enqueue(self, task: Task, args: Any, kwargs: Any) -> TaskResult:
        self.validate_task(task)
        result_id = str(uuid.uuid4())
        args, kwargs = normalize_json(list(args)), normalize_json(dict(kwargs))
        job = self.queue(task.queue_name).enqueue_call(
            execute,
            args=(task.module_path, args, kwargs),
            job_id=result_id,
            result_ttl=self.result_ttl,
            failure_ttl=self.result_ttl,
            description=task.module_path,
        )
        result: TaskResult = TaskResult(
            task=task,
            id=result_id,
            status=TaskResultStatus.READY,
            enqueued_at=job.enqueued_at.replace(tzinfo=UTC) if job.enqueued_at else _now(),
            started_at=None,
            last_attempted_at=None,
            finished_at=None,
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=[],
            worker_ids=[],
        )
        task_enqueued.send(type(self), task_result=result)
        return result

    def get_result(self, result_id: str) -> TaskResult:
        try:
            job = Job.fetch(result_id, connection=self.connection)
        except NoSuchJobError:
            raise TaskResultDoesNotExist(result_id) from None
        module_path, args, kwargs = job.args
        status = STATUS.get(job.get_status(), TaskResultStatus.READY)
        errors = []
        if status == TaskResultStatus.FAILED:
            errors.append(
                TaskError(
                    exception_class_path=job.meta.get("exception_class_path", "builtins.Exception"),
                    traceback=job.meta.get("traceback", ""),
                )
            )
        result: TaskResult = TaskResult(
            task=import_string(module_path),
            id=result_id,
            status=status,
            enqueued_at=_aware(job.enqueued_at),
            started_at=_aware(job.started_at),
            last_attempted_at=_aware(job.started_at),
            finished_at=_aware(job.ended_at),
            args=args,
            kwargs=kwargs,
            backend=self.alias,
            errors=errors,
            worker_ids=[job.worker_name] if job.worker_name else [],
        )
        if status == TaskResultStatus.SUCCESSFUL:
            object.__setattr__(result, "_return_value", job.return_value())
        return result

    def health(self) -> dict[str, Any]:
        """For /healthz: Redis answers; jobs waiting and jobs that failed, per queue."""
        self.connection.ping()
        queues = [self.queue(name) for name in self.queue_names()]
        return {
            "backend": "rq",
            "queued": sum(q.count for q in queues),
            "failed": sum(q.failed_job_registry.count for q in queues),
        }


def _now() -> datetime:
    return datetime.now(UTC)


def _aware(moment: datetime | None) -> datetime | None:
    # RQ keeps naive UTC times.
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)
