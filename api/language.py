"""The language of an API response: `?lang=`, else Accept-Language, else Chinese.

The browser pages ignore Accept-Language on purpose (config.middleware): staff
whose computers are set up in English still see Chinese. Other systems calling
the API choose explicitly, so here the request's own preference is honoured.
"""

from __future__ import annotations

from django.conf import settings
from django.utils import translation
from django.utils.translation.trans_real import parse_accept_lang_header
from rest_framework.request import Request


def _supported(code: str) -> str | None:
    try:
        return translation.get_supported_language_variant(code.strip().lower())
    except LookupError:
        return None


def requested_language(request: Request) -> str:
    asked = request.query_params.get("lang")
    if asked:
        return _supported(asked) or settings.LANGUAGE_CODE
    header = request.META.get("HTTP_ACCEPT_LANGUAGE", "")
    for code, _quality in parse_accept_lang_header(header[:255]):
        if code == "*":
            break
        found = _supported(code)
        if found:
            return found
    return str(settings.LANGUAGE_CODE)
