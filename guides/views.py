"""Public guide pages. Only published snapshots appear here, never draft tables.

Speed, for anonymous visitors (the public):
- with a cache shared by all web processes (Redis), a page is answered from the
  cache by `guides.pagecache.SharedPageMiddleware` before the view, with no
  database query at all (publishing retires every cached page at once); the
  view only marks the pages it renders that may be stored there;
- otherwise one query decides which version is shown and gives the ETag, and
  the whole page comes from the cache under that ETag, which changes whenever
  any published version of the standard changes;
- a page rendered afresh costs two queries; the rendered article is also kept
  per snapshot hash and language.
Views are counted in memory and written in batches (`search.popularity`).
"""

from __future__ import annotations

import datetime
import hashlib
from contextlib import AbstractContextManager, nullcontext

from django.contrib import messages
from django.core.cache import cache
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.middleware.csp import get_nonce
from django.shortcuts import render
from django.utils import timezone, translation
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.http import http_date
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from config.routers import primary_reads
from guides import pagecache
from guides.lookup import Shown, in_force_version, numbered_version, versions_and_data
from guides.rendering import render_guide_html
from search.popularity import count_view
from standards.models import RenderedDocument
from standards.uploads import content_disposition

CACHE_SECONDS = 24 * 3600


def guide(request: HttpRequest, basic_code: str, department_code: str) -> HttpResponse:
    """The guide in force today, or on the date asked for with `?on=YYYY-MM-DD`."""
    today = timezone.localdate()
    asked = request.GET.get("on", "").strip()
    on, date_error = _parse_date(asked) if asked else (today, "")
    with _reads_for(request):
        shown = in_force_version(basic_code, department_code, on or today)
        return _guide_page(
            request,
            shown,
            on=on if asked and on != today else None,
            asked=asked,
            date_error=date_error,
            status=400 if date_error else 200,
        )


def guide_version(
    request: HttpRequest, basic_code: str, department_code: str, number: int
) -> HttpResponse:
    """One published version of the guide, current or not."""
    with _reads_for(request):
        return _guide_page(request, numbered_version(basic_code, department_code, number))


def _reads_for(request: HttpRequest) -> AbstractContextManager[None]:
    """The primary for a page the shared cache will keep (see config.routers.primary_reads)."""
    return primary_reads() if getattr(request, "guide_page_key", "") else nullcontext()


def _anonymous_plain_get(request: HttpRequest) -> bool:
    """A request whose page is the same for everyone (and so may be cached)."""
    return (
        request.method in ("GET", "HEAD") and not request.GET and not request.user.is_authenticated
    )


def _parse_date(text: str) -> tuple[datetime.date | None, str]:
    try:
        return datetime.date.fromisoformat(text), ""
    except ValueError:
        return None, _("Enter a date as YYYY-MM-DD, for example 2026-01-31.")


def _etag(shown: Shown, language: str) -> str:
    parts = [
        pagecache.PAGE_REVISION,
        language,
        shown.sha256,
        str(shown.version_id),
        str(shown.has_pdf),
        shown.changed_at.isoformat(),
    ]
    return '"' + hashlib.sha256("|".join(parts).encode()).hexdigest()[:32] + '"'


def _guide_page(
    request: HttpRequest,
    shown: Shown,
    *,
    on: datetime.date | None = None,
    asked: str = "",
    date_error: str = "",
    status: int = 200,
) -> HttpResponse:
    language = translation.get_language() or "zh-hans"
    etag = _etag(shown, language)
    last_modified = int(shown.changed_at.timestamp())
    cacheable = status == 200 and _anonymous_plain_get(request)
    if status == 200:
        conditional = get_conditional_response(request, etag=etag, last_modified=last_modified)
        if conditional is not None:
            return _headers(conditional, etag, last_modified, public=cacheable)
    # With the shared-cache middleware in front, this page was not in its cache.
    shared = bool(getattr(request, "guide_page_key", ""))
    page_key = f"guide-page:{etag}:{request.path}"
    if cacheable and not shared and (body := cache.get(page_key)) is not None:
        count_view(shown.standard_id)
        return _headers(HttpResponse(body), etag, last_modified, public=True)

    entries, data = versions_and_data(shown)
    published_on = timezone.localdate(shown.published_at)
    fragment_key = f"guide-html:{shown.sha256}:{language}:{published_on}"
    guide_html = cache.get(fragment_key)
    if guide_html is None:
        guide_html = render_guide_html(data, language=language, published_on=published_on)
        cache.set(fragment_key, guide_html, CACHE_SECONDS)
    current = next((e for e in entries if e.pk == shown.version_id), None)
    meta = data.get("standard") or {}
    context = {
        # Everything about the item comes from the snapshot, as it was published.
        "shown": shown,
        "item": meta.get("item") or {},
        "department": meta.get("department") or {},
        "region": meta.get("region") or {},
        "versions": entries,
        "current": current,
        "in_force_today": _in_force(current, timezone.localdate()),
        "on": on,
        "asked": asked,
        "date_error": date_error,
        # The renderer escapes every value it writes (tested), so its output is safe.
        "guide_html": mark_safe(guide_html),  # noqa: S308
        "has_pdf": shown.has_pdf,
    }
    response = render(request, "guides/guide_page.html", context, status=status)
    count_view(shown.standard_id)
    if cacheable and _same_for_everyone(request):
        if shared:
            # The middleware stores it, with the headers added on the way out.
            response.guide_shareable = pagecache.Shareable(  # type: ignore[attr-defined]
                etag, last_modified, shown.standard_id
            )
        else:
            cache.set(page_key, response.content, CACHE_SECONDS)
    if status != 200:
        return response
    return _headers(response, etag, last_modified, public=cacheable)


def _same_for_everyone(request: HttpRequest) -> bool:
    """Whether the page just rendered holds nothing of this visitor's own.

    The template prints no CSRF token, message or CSP nonce for anonymous
    visitors; should that ever change, the page is not cached rather than
    handing one visitor's token (or a reused nonce) to the next.
    """
    return (
        not list(messages.get_messages(request))
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
        and not get_nonce(request)
    )


def _in_force(entry: object, day: datetime.date) -> bool:
    start = getattr(entry, "effective_from", None)
    end = getattr(entry, "effective_to", None)
    return bool(start and start <= day and (end is None or end >= day))


def _headers(
    response: HttpResponse, etag: str, last_modified: int, *, public: bool
) -> HttpResponse:
    response["ETag"] = etag
    response["Last-Modified"] = http_date(last_modified)
    # Revalidate every time: a conditional GET is cheap and a new publication
    # must be seen at once.
    if public:
        patch_cache_control(response, public=True, no_cache=True)
    else:
        patch_cache_control(response, private=True, no_cache=True)
    return response


def guide_pdf(request: HttpRequest, basic_code: str, department_code: str) -> FileResponse:
    """The stored PDF of the guide in force today."""
    return _pdf_response(in_force_version(basic_code, department_code, timezone.localdate()))


def guide_version_pdf(
    request: HttpRequest, basic_code: str, department_code: str, number: int
) -> FileResponse:
    """The stored PDF of one published version."""
    return _pdf_response(numbered_version(basic_code, department_code, number))


def _pdf_response(shown: Shown) -> FileResponse:
    document = (
        RenderedDocument.objects.filter(
            version_id=shown.version_id, kind=RenderedDocument.Kind.GUIDE
        )
        .select_related("version__standard__item")
        .first()
    )
    if document is None:
        raise Http404
    version = document.version
    item = version.standard.item.name
    response = FileResponse(document.file.open("rb"), content_type="application/pdf")
    response["Content-Disposition"] = content_disposition(
        f"{item}办事指南（第{version.number}版）.pdf"
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["ETag"] = f'"{document.sha256[:32]}"'
    patch_cache_control(response, public=True, no_cache=True)
    return response
