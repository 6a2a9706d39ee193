"""Exports of a published version: JSON, CPSV-AP JSON-LD and an Excel workbook.

All three read `PublishedSnapshot.data` only (never the draft tables), reduced
to what the requester may see (`interchange.audience`). A published snapshot
never changes, so responses carry a strong ETag from its hash and may be
cached.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseNotModified
from django.urls import reverse
from django.views.decorators.http import require_GET

from interchange.access import published_snapshot
from interchange.audience import Audience, for_audience
from interchange.cpsv import cpsv_document
from interchange.workbook.writer import build_workbook
from standards.models import PublishedSnapshot
from standards.uploads import content_disposition

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_name(published: PublishedSnapshot, audience: Audience, suffix: str) -> str:
    version = published.version
    kind = "（完整）" if audience is Audience.FULL else ""
    standard = version.standard
    return f"{standard.item.name}_{standard.department.name}_第{version.number}版{kind}{suffix}"


def _export(
    request: HttpRequest,
    basic_code: str,
    department_code: str,
    number: int,
    audience: Audience,
    fmt: str,
) -> HttpResponse:
    published = published_snapshot(request.user, basic_code, department_code, number, audience)
    etag = f'"{published.sha256}-{audience}-{fmt}"'
    cache = "public, max-age=3600" if audience is Audience.PUBLIC else "private, no-store"
    if audience is Audience.PUBLIC and etag in request.headers.get("If-None-Match", ""):
        response: HttpResponse = HttpResponseNotModified()
        response["ETag"] = etag
        return response
    data = for_audience(published.data, audience)
    body: bytes
    match fmt:
        case "json":
            body, content_type, suffix = _json(data), "application/json", ".json"
        case "jsonld":
            base = request.build_absolute_uri(
                reverse("interchange:jsonld", args=[basic_code, department_code, number])
            )
            body, content_type, suffix = (
                _json(cpsv_document(data, base)),
                "application/ld+json",
                ".jsonld",
            )
        case _:
            body, content_type, suffix = build_workbook(data, audience), XLSX, ".xlsx"
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = content_disposition(_file_name(published, audience, suffix))
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = cache
    response["ETag"] = etag
    return response


def _json(data: Any) -> bytes:
    return json.dumps(data, ensure_ascii=False, indent=2).encode()


def _view(audience: Audience, fmt: str) -> Callable[..., HttpResponse]:
    @require_GET
    def view(
        request: HttpRequest, basic_code: str, department_code: str, number: int
    ) -> HttpResponse:
        return _export(request, basic_code, department_code, number, audience, fmt)

    view.__name__ = f"{audience}_{fmt}"
    return login_required(view) if audience is Audience.FULL else view


public_json = _view(Audience.PUBLIC, "json")
public_jsonld = _view(Audience.PUBLIC, "jsonld")
public_xlsx = _view(Audience.PUBLIC, "xlsx")
full_json = _view(Audience.FULL, "json")
full_jsonld = _view(Audience.FULL, "jsonld")
full_xlsx = _view(Audience.FULL, "xlsx")
