"""What every API view shares: the response language and conditional GETs."""

from __future__ import annotations

from typing import Any

from django.utils import translation
from django.utils.cache import patch_vary_headers
from rest_framework.request import Request
from rest_framework.response import Response

from api.conditional import etag_for, matches
from api.language import requested_language


class ApiViewMixin:
    """Mixed into DRF views (before the DRF class) of this app."""

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        # Before authentication, so that its errors are in the caller's language too.
        language = requested_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language  # type: ignore[attr-defined]
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        language = translation.get_language() or "zh-hans"
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            _conditional(request, response)
        return response


def _conditional(request: Request, response: Response) -> None:
    if not isinstance(response, Response) or response.data is None:
        return
    tag = response.get("ETag") or etag_for(response.data)
    response["ETag"] = tag
    authenticated = bool(request.user and request.user.is_authenticated)
    # Always revalidate (cheap with the tag); never keep a signed-in caller's data in shared caches.
    response["Cache-Control"] = "private, no-cache" if authenticated else "public, no-cache"
    if matches(request.META.get("HTTP_IF_NONE_MATCH"), tag):
        response.status_code = 304
        response.data = None
