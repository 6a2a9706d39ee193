"""Run an RQ worker for the task backend `ops.rq_backend.RQBackend` (see docs/deploy.md).

    manage.py rq_worker [--backend default] [--burst]

Start one or more on every worker machine; they share the queue in Redis.
"""

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.tasks import task_backends
from rq import Worker

from ops.rq_backend import RQBackend


class Command(BaseCommand):
    help = "Take tasks from the RQ queue (TASKS backend ops.rq_backend.RQBackend)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--backend", default="default", help="The TASKS alias to serve.")
        parser.add_argument(
            "--burst", action="store_true", help="Stop when the queue is empty (for tests, cron)."
        )

    def handle(self, *args: Any, **options: Any) -> None:
        backend = task_backends[options["backend"]]
        if not isinstance(backend, RQBackend):
            raise CommandError(
                f"The task backend {options['backend']!r} is {type(backend).__name__}, "
                "not ops.rq_backend.RQBackend: set TASKS_BACKEND=rq and TASKS_REDIS_URL."
            )
        queues = [backend.queue(name) for name in backend.queue_names()]
        worker = Worker(queues, connection=backend.connection)
        worker.work(burst=options["burst"], with_scheduler=False)
