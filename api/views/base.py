"""What every API view shares: the response language and conditional GETs."""

from __future__ import annotations

from typing import Any

from django.conf import settings
from django.utils import translation
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext_lazy as _
from rest_framework.exceptions import APIException
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
        request.LANGUAGE_CODE = language
        _refuse_oversized(request)
        super().initial(request, *args, **kwargs)  # type: ignore[misc]

    def finalize_response(self, request: Request, response: Any, *args: Any, **kwargs: Any) -> Any:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        language = translation.get_language() or "zh-hans"
        response["Content-Language"] = language
        patch_vary_headers(response, ("Accept-Language", "Authorization", "Cookie"))
        if request.method in ("GET", "HEAD") and response.status_code == 200:
            _conditional(request, response)
        return response


class RequestTooLarge(APIException):
    status_code = 413
    default_detail = _("The request body is too large.")
    default_code = "too_large"


def _refuse_oversized(request: Request) -> None:
    """DRF's parsers read the stream directly, past Django's DATA_UPLOAD_MAX_MEMORY_SIZE check."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        length = 0
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    if limit is not None and length > limit:
        raise RequestTooLarge


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
