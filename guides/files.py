"""Blank forms and samples of a published guide, served to anyone.

A file is served only when the published snapshot of that version names it in
a guide field: the address carries the version number, the field code and the
row, and the storage name comes from the snapshot, never from the request. A
published version's files never change, so they may be cached for long.
"""

from __future__ import annotations

from pathlib import PurePosixPath
from typing import Any

from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest
from django.views.decorators.http import require_GET

from guides.rendering.guide import row_title
from standards.models import PublishedSnapshot
from standards.registry import REGISTRY, FieldType
from standards.uploads import content_disposition, served_content_type

SINGLE_ROW = "-"  # the row part of the address for a field of a non-repeating group


def published_file_name(data: dict[str, Any], code: str, row_id: str) -> tuple[str, str]:
    """(storage name, download name) of a guide file in a snapshot, or Http404."""
    field = REGISTRY.get(code)
    if field is None or field.type is not FieldType.FILE or not field.in_guide:
        raise Http404
    group = REGISTRY.group(field.group)
    content = (data.get("content") or {}).get(group.name)
    if group.repeats:
        row = next((r for r in content or [] if str(r.get("row_id")) == row_id), None)
    else:
        row = content if row_id == SINGLE_ROW else None
    stored = row.get(code) if row else None
    if not stored:
        raise Http404
    suffix = PurePosixPath(str(stored)).suffix.lower()
    title = row_title(group, row) if group.repeats and row else ""
    return str(stored), f"{title}{field.label_zh}{suffix}"


@require_GET
def published_file(
    request: HttpRequest,
    basic_code: str,
    department_code: str,
    number: int,
    code: str,
    row_id: str,
) -> FileResponse:
    published = (
        PublishedSnapshot.objects.filter(
            version__standard__item__basic_code=basic_code,
            version__standard__department__code=department_code,
            version__number=number,
        )
        .only("data")
        .first()
    )
    if published is None:
        raise Http404
    stored, download_name = published_file_name(published.data, code, row_id)
    if not default_storage.exists(stored):
        raise Http404
    suffix = PurePosixPath(stored).suffix.lower()
    response = FileResponse(
        default_storage.open(stored, "rb"), content_type=served_content_type(suffix)
    )
    response["Content-Disposition"] = content_disposition(download_name)
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "public, max-age=86400"
    return response
