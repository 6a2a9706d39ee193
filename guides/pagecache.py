"""Whole guide pages for anonymous visitors, answered before the rest of the stack.

`SharedPageMiddleware` sits right under the security and static-file
middleware. For a plain GET of a guide page by a visitor who carries no session
or message cookie (so is anonymous and has nothing waiting to be shown), it
looks the page up in the cache and, when found, answers with the stored body
and headers: no session, authentication, URL resolution, view or database
query. Otherwise the request goes down the stack as usual; the view marks a
page it rendered for an anonymous visitor as shareable, and on the way back up
this middleware stores it with the headers the inner middleware added (CSP,
X-Frame-Options, Content-Language, Vary, ...). The security middleware above
adds its own headers (HSTS, nosniff, ...) to every answer, cached or not.

A page's key holds the portal's *generation*, a counter in the shared cache that
every publication, withdrawal or newly rendered PDF increments (after commit).
Bumping it retires every cached page at once, so a new version is visible on
the next request, on every web process — which is why the fast path is on only
with a cache shared by all processes (`settings.GUIDE_PAGE_FAST_PATH`, on with
Redis): with per-process memory, another worker would keep its stale copy. The
key also holds the day (a version taking effect at midnight shows), the
language, and a fingerprint of the page revision and of the settings that shape
the stored headers (so a deployment changing either does not serve old ones).

Each process also keeps the pages it served lately in its own memory, under
the same key; the generation (`guides.generation`) is watched, not read per
view. So a publication retires these copies as well, and a cached view
usually costs no round trip to Redis at all — no fetching and unpickling
~80 KB per view, and no wait for Redis's turn on a busy CPU.

The key is computed before the view reads any row, and the page is stored
under that key: if a publication commits in between, the page lands under the
old generation, which no one asks for any more.

Never stored: a response that sets a cookie, a page that printed a CSRF token,
a message or the CSP nonce (a stored nonce would be reused for everyone), and
anything not marked by the view (signed-in users, `?on=` dates, errors).
"""

from __future__ import annotations

import datetime
import hashlib
import re
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass

import django
from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseBase
from django.middleware.csp import get_nonce
from django.utils import timezone
from django.utils.cache import get_conditional_response

from config.middleware import chosen_language
from guides.generation import generation
from search.popularity import count_view

# Bump when the page templates change, so cached pages of the old layout go.
PAGE_REVISION = "3"
TIMEOUT = 24 * 3600
# Pages kept in each process's memory (about 80 KB each: ~20 MB at most).
LOCAL_PAGES = 256
# The guide pages of guides/urls.py (today's guide and numbered versions; not
# the PDFs or files), as request.path_info spells them (tested against the URLconf).
PAGE_PATH = re.compile(r"^/guides/[^/]+/[^/]+/(?:v[0-9]+/)?$")
# Headers a 304 does not repeat (the body they describe is not sent).
_BODY_HEADERS = frozenset({"content-type", "content-length"})


@dataclass(frozen=True)
class Shareable:
    """What the view says about a page it rendered that may be served to everyone."""

    etag: str
    last_modified: int
    standard_id: int


@dataclass(frozen=True)
class CachedPage:
    etag: str
    last_modified: int
    body: bytes
    standard_id: int
    headers: tuple[tuple[str, str], ...]


_local: OrderedDict[str, CachedPage] = OrderedDict()
_local_lock = threading.Lock()


def enabled() -> bool:
    return bool(getattr(settings, "GUIDE_PAGE_FAST_PATH", False))


def fingerprint() -> str:
    """Changes when the page layout or the settings behind the stored headers change."""
    shaping = (
        PAGE_REVISION,
        django.VERSION,
        settings.MIDDLEWARE,
        settings.SECURE_CSP,
        getattr(settings, "SECURE_CSP_REPORT_ONLY", {}),
        settings.X_FRAME_OPTIONS,
    )
    return hashlib.sha256(repr(shaping).encode()).hexdigest()[:12]


def page_key(
    generation: int, path: str, language: str, day: datetime.date, shaping: str = ""
) -> str:
    return (
        f"guides:page:{generation}:{shaping or fingerprint()}:{day.isoformat()}:{language}:{path}"
    )


def get(key: str) -> CachedPage | None:
    """The page under `key`: from this process's memory, else from the shared cache."""
    with _local_lock:
        page = _local.get(key)
        if page is not None:
            _local.move_to_end(key)
            return page
    found = cache.get(key)
    if not isinstance(found, CachedPage):
        return None
    _remember(key, found)
    return found


def put(key: str, page: CachedPage) -> None:
    cache.set(key, page, TIMEOUT)
    _remember(key, page)


def _remember(key: str, page: CachedPage) -> None:
    with _local_lock:
        _local[key] = page
        _local.move_to_end(key)
        while len(_local) > LOCAL_PAGES:
            _local.popitem(last=False)


def forget_local() -> None:
    """Empty this process's copies (tests; the shared cache is left alone)."""
    with _local_lock:
        _local.clear()


def answer(request: HttpRequest, page: CachedPage) -> HttpResponse:
    """The stored page, or 304 when the visitor's copy is still current."""
    count_view(page.standard_id)
    conditional = get_conditional_response(
        request, etag=page.etag, last_modified=page.last_modified
    )
    if conditional is not None:
        for name, value in page.headers:
            if name.lower() not in _BODY_HEADERS:
                conditional[name] = value
        return conditional
    response = HttpResponse(page.body)
    for name, value in page.headers:
        response[name] = value
    return response


class SharedPageMiddleware:
    """Guide pages for anonymous visitors from the cache (see the module's docstring)."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponseBase]) -> None:
        self.get_response = get_response
        self.personal_cookies = (settings.SESSION_COOKIE_NAME, CookieStorage.cookie_name)
        self.shaping = fingerprint()

    def __call__(self, request: HttpRequest) -> HttpResponseBase:
        key = self._key(request)
        if not key:
            return self.get_response(request)
        # What CommonMiddleware would refuse (a Host not in ALLOWED_HOSTS) stays refused.
        request.get_host()
        if (page := get(key)) is not None:
            return answer(request, page)
        request.guide_page_key = key  # type: ignore[attr-defined]  # read by the view
        response = self.get_response(request)
        self._store(request, key, response)
        return response

    def _key(self, request: HttpRequest) -> str:
        if not (
            enabled()
            and request.method in ("GET", "HEAD")
            and not request.META.get("QUERY_STRING")
            and PAGE_PATH.match(request.path_info)
            and not any(name in request.COOKIES for name in self.personal_cookies)
        ):
            return ""
        language = chosen_language(request)
        return page_key(generation(), request.path, language, timezone.localdate(), self.shaping)

    @staticmethod
    def _store(request: HttpRequest, key: str, response: HttpResponseBase) -> None:
        shareable = getattr(response, "guide_shareable", None)
        if (
            not isinstance(shareable, Shareable)
            or not isinstance(response, HttpResponse)
            or response.status_code != 200
            or response.cookies
            or get_nonce(request)
        ):
            return
        page = CachedPage(
            etag=shareable.etag,
            last_modified=shareable.last_modified,
            body=response.content,
            standard_id=shareable.standard_id,
            headers=tuple(response.headers.items()),
        )
        put(key, page)
