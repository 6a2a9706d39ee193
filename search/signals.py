"""Keep the index in step with publishing and withdrawing.

Both hooks only schedule `reindex_standard` for after the commit: the index is
derived data, so a failure there is logged (`robust`) and never undoes a
publication; `manage.py rebuild_search_index` repairs a missed update.
"""

from __future__ import annotations

from functools import partial
from typing import Any

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from standards.models import PublishedSnapshot, StandardVersion

from .indexing import reindex_standard


def schedule_reindex(standard_id: int) -> None:
    transaction.on_commit(partial(reindex_standard, standard_id), robust=True)


@receiver(post_save, sender=PublishedSnapshot, dispatch_uid="search-index-on-publish")
def index_published(sender: Any, instance: PublishedSnapshot, created: bool, **kwargs: Any) -> None:
    # A publication also supersedes the previous version: one reindex covers both.
    if created:
        schedule_reindex(instance.version.standard_id)


@receiver(post_save, sender=StandardVersion, dispatch_uid="search-index-on-withdraw")
def unindex_withdrawn(sender: Any, instance: StandardVersion, **kwargs: Any) -> None:
    # Withdrawing writes no snapshot, only the version's new state.
    if instance.state == StandardVersion.State.WITHDRAWN:
        schedule_reindex(instance.standard_id)
