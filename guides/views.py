"""Public portal views. Only catalogue data and published material appear here."""

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.utils.safestring import mark_safe

from guides.rendering import render_guide_html
from standards.models import RenderedDocument, StandardVersion
from standards.services.workflow import in_force
from standards.uploads import content_disposition


def _in_force_version(basic_code: str, department_code: str) -> StandardVersion:
    standard = (
        StandardVersion.objects.filter(
            standard__item__basic_code=basic_code,
            standard__department__code=department_code,
        )
        .values_list("standard_id", flat=True)
        .first()
    )
    version = in_force(standard, timezone.localdate()) if standard else None
    if version is None:
        raise Http404
    return version


def guide(request: HttpRequest, basic_code: str, department_code: str) -> HttpResponse:
    """The guide in force today, rendered from its published snapshot only."""
    version = _in_force_version(basic_code, department_code)
    snapshot = version.published_snapshot.data
    context = {
        "version": version,
        "snapshot": snapshot,
        # The renderer escapes every value it writes (tested), so its output is safe.
        "guide_html": mark_safe(render_guide_html(snapshot)),  # noqa: S308
        "has_pdf": RenderedDocument.objects.filter(
            version=version, kind=RenderedDocument.Kind.GUIDE
        ).exists(),
    }
    return render(request, "guides/guide_page.html", context)


def guide_pdf(request: HttpRequest, basic_code: str, department_code: str) -> FileResponse:
    """The stored PDF of the guide in force today."""
    version = _in_force_version(basic_code, department_code)
    document = RenderedDocument.objects.filter(
        version=version, kind=RenderedDocument.Kind.GUIDE
    ).first()
    if document is None:
        raise Http404
    item = version.standard.item.name
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"{item}办事指南（第{version.number}版）.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    return response
