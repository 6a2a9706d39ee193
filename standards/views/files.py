"""Files attached to a draft's content, served to the department's staff only."""

from __future__ import annotations

from pathlib import PurePosixPath

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.views.decorators.http import require_GET

from standards.access import version_for_editor
from standards.models import RenderedDocument
from standards.registry import REGISTRY, FieldType
from standards.services.rendering import public_guide_url
from standards.snapshot import snapshot
from standards.uploads import content_disposition, served_content_type


@login_required
@require_GET
def content_file(request: HttpRequest, pk: int, code: str, row: str) -> FileResponse:
    version = version_for_editor(request.user, pk)
    field = REGISTRY.get(code)
    if field is None or field.type is not FieldType.FILE:
        raise Http404
    model = REGISTRY.group(field.group).model
    rows = model._default_manager.filter(version=version)
    instance = rows.filter(uid=row).first() if field.repeats else rows.first()
    stored = getattr(instance, field.attribute, None) if instance else None
    if not stored:
        raise Http404
    suffix = PurePosixPath(stored.name).suffix.lower()
    response = FileResponse(stored.open("rb"), content_type=served_content_type(suffix))
    response["Content-Disposition"] = content_disposition(f"{field.label_zh}{suffix}")
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def manual_pdf(request: HttpRequest, pk: int) -> FileResponse:
    """The stored business manual of a published version, for the department's staff."""
    version = version_for_editor(request.user, pk)
    document = RenderedDocument.objects.filter(
        version=version, kind=RenderedDocument.Kind.MANUAL
    ).first()
    if document is None:
        raise Http404
    name = f"{version.standard.item.name}业务手册（第{version.number}版）.pdf"
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_GET
def preview_guide_pdf(request: HttpRequest, pk: int) -> HttpResponse:
    """A draft's guide as PDF, rendered on demand for its department (never published)."""
    from guides.pdf import render_guide_pdf  # loads WeasyPrint only when a preview is asked for

    version = version_for_editor(request.user, pk)
    content = render_guide_pdf(snapshot(version), public_url=public_guide_url(version))
    response = HttpResponse(content, content_type="application/pdf")
    name = f"{version.standard.item.name}办事指南（预览，第{version.number}版）.pdf"
    response["Content-Disposition"] = content_disposition(name, inline=True)
    response["Cache-Control"] = "private, no-store"
    return response
