"""Background tasks: sending webhook deliveries (Django's tasks framework)."""

from django.tasks import task

from .delivery import attempt


@task
def deliver_webhook(delivery_id: int) -> str:
    """One attempt to deliver; a failure schedules the next one (see `delivery`)."""
    return attempt(delivery_id)
