"""Announce every new publication to the webhook subscribers.

The deliveries are written in the publishing transaction (so a rolled-back
publication announces nothing and a committed one cannot be lost) and handed
to the task queue only after the commit.
"""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from standards.models import PublishedSnapshot

from .delivery import enqueue_after_commit, record_publication


@receiver(post_save, sender=PublishedSnapshot, dispatch_uid="subscriptions.on_publication")
def on_publication(
    sender: type[PublishedSnapshot],
    instance: PublishedSnapshot,
    created: bool,
    raw: bool = False,
    **kwargs: Any,
) -> None:
    if not created or raw:
        return
    enqueue_after_commit(record_publication(instance))
