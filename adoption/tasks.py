"""Background tasks of adoption (Django's tasks framework, like standards.tasks)."""

from django.tasks import task

from adoption.services.batch import run_batch


@task
def run_adoption_batch(batch_id: int) -> int:
    """Adopt the batch's templates; returns how many were worked through."""
    return run_batch(batch_id).done
