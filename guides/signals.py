"""Retire cached guide pages when what they show changes (see guides.generation)."""

from __future__ import annotations

from typing import Any

from django.db.models.signals import post_save
from django.dispatch import receiver

from standards.models import PublishedSnapshot, RenderedDocument, StandardVersion

from . import generation

# States whose versions appear on public pages (published, and in version lists).
PUBLIC_STATES = frozenset({"published", "superseded", "withdrawn"})


@receiver(post_save, sender=PublishedSnapshot, dispatch_uid="guides-snapshot")
@receiver(post_save, sender=RenderedDocument, dispatch_uid="guides-rendered")
def _published_material_changed(sender: Any, **kwargs: Any) -> None:
    generation.bump_after_commit()


@receiver(post_save, sender=StandardVersion, dispatch_uid="guides-version")
def _version_changed(sender: Any, instance: StandardVersion, **kwargs: Any) -> None:
    # Drafts are saved all day long; only versions the public can see matter.
    if instance.state in PUBLIC_STATES:
        generation.bump_after_commit()
