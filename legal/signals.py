"""Publishing ties the published version's legal bases to the library and closes flags.

The workflow service does not know this app; a publication is observed here,
as the search index and webhooks observe it. The receiver only calls the
service. It runs inside the publishing transaction so that a flag is closed
together with the publication that resolves it, but in its own savepoint: a
failure here is logged and never undoes a publication (`manage.py
link_citations` repairs the citations afterwards).
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from standards.models import PublishedSnapshot

from .services.flags import resolve_on_publish

logger = logging.getLogger(__name__)


@receiver(post_save, sender=PublishedSnapshot, dispatch_uid="legal-citations-on-publish")
def link_published(
    sender: Any, instance: PublishedSnapshot, created: bool, raw: bool = False, **kwargs: Any
) -> None:
    if not created or raw:
        return
    try:
        with transaction.atomic():
            resolve_on_publish(instance.version)
    except Exception:  # derived data: never block a publication
        logger.exception("Linking the citations of version %s failed", instance.version_id)
