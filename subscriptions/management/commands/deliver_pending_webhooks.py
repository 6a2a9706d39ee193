"""Queue every webhook delivery that is due: retries a task backend could not
defer, and deliveries whose queueing failed after the publication committed."""

from typing import Any

from django.core.management.base import BaseCommand

from subscriptions.delivery import due_deliveries, enqueue


class Command(BaseCommand):
    help = "Queue the webhook deliveries that are due (run it every few minutes)."

    def handle(self, *args: Any, **options: Any) -> None:
        due = due_deliveries()
        enqueue(due)
        self.stdout.write(f"{len(due)} deliveries queued.")
