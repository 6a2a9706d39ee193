"""Background tasks (Django's tasks framework; a database queue in development)."""

from django.tasks import task

from standards.models import StandardVersion
from standards.services.rendering import render_documents


@task
def render_published_documents(version_id: int) -> int:
    """Render the guide and manual PDFs of a published version; returns how many were stored."""
    version = StandardVersion.objects.get(pk=version_id)
    return len(render_documents(version))
