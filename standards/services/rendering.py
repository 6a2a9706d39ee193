"""Rendering the guide and manual PDFs of a published version, and storing them.

Runs in the task worker (never in a web request in production): `publish`
enqueues `standards.tasks.render_published_documents` after commit.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from standards.models import PublishedSnapshot, RenderedDocument, StandardVersion


def public_guide_url(version: StandardVersion) -> str:
    """The address printed (and QR-coded) on the guide: the current guide's public page."""
    path = reverse(
        "guides:guide",
        args=[version.standard.item.basic_code, version.standard.department.code],
    )
    return f"{settings.PUBLIC_BASE_URL.rstrip('/')}{path}"


def render_documents(version: StandardVersion) -> list[RenderedDocument]:
    """Render and store both PDFs of a published version from its stored snapshot."""
    from guides.pdf import render_guide_pdf  # imported here: WeasyPrint loads only in workers
    from manuals.pdf import render_manual_pdf

    published = PublishedSnapshot.objects.select_related(
        "version__standard__item", "version__standard__department"
    ).get(version=version)
    data = published.data
    published_on = timezone.localdate(published.published_at)
    outputs = {
        RenderedDocument.Kind.GUIDE: render_guide_pdf(
            data,
            public_url=public_guide_url(published.version),
            published_on=published_on,
            link_base=settings.PUBLIC_BASE_URL.rstrip("/"),
        ),
        RenderedDocument.Kind.MANUAL: render_manual_pdf(data, published_on=published_on),
    }
    return [
        _store(published.version, kind, content, published.sha256)
        for kind, content in outputs.items()
    ]


@transaction.atomic
def _store(
    version: StandardVersion, kind: str, content: bytes, snapshot_sha256: str
) -> RenderedDocument:
    name = f"rendered/{version.standard.item.basic_code}/{version.pk}/{kind}.pdf"
    if default_storage.exists(name):
        default_storage.delete(name)
    stored = default_storage.save(name, ContentFile(content))
    document, _created = RenderedDocument.objects.update_or_create(
        version=version,
        kind=kind,
        defaults={
            "file": stored,
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
            "snapshot_sha256": snapshot_sha256,
            "rendered_at": timezone.now(),
        },
    )
    return document
