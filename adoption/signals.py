"""A template's publication reaches its adopters once the publishing transaction commits."""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from standards.models import PublishedSnapshot


@receiver(post_save, sender=PublishedSnapshot, dispatch_uid="adoption-template-published")
def template_published(
    sender: Any, instance: PublishedSnapshot, created: bool, **kwargs: Any
) -> None:
    if not created:
        return
    from .services.propagation import on_template_published

    # After the commit: a rolled-back publication must not reach anyone.
    transaction.on_commit(partial(on_template_published, instance.pk), robust=True)
