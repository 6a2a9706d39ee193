"""Chinese first: the interface language is the one the user chose, else Simplified Chinese.

Django's LocaleMiddleware would follow the browser's Accept-Language, showing
English to staff whose computers happen to be set up in English. Here the
browser's preference is ignored; the language switch (which sets Django's
language cookie) is the only way to English.
"""

from collections.abc import Callable

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils import translation


def chosen_language(request: HttpRequest) -> str:
    """The language cookie's value if it names one of ours, else Simplified Chinese.

    Also used by guides.pagecache, whose cached pages are looked up before this
    middleware runs.
    """
    chosen = request.COOKIES.get(settings.LANGUAGE_COOKIE_NAME)
    if chosen and any(chosen == code for code, _name in settings.LANGUAGES):
        return chosen
    return str(settings.LANGUAGE_CODE)


class ChineseFirstLocaleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        language = chosen_language(request)
        translation.activate(language)
        request.LANGUAGE_CODE = language
        try:
            response = self.get_response(request)
        finally:
            # Also after an exception: the thread's next request must not
            # start in this one's language.
            translation.deactivate()
        response.headers.setdefault("Content-Language", language)
        patch = response.headers.get("Vary", "")
        if "Cookie" not in patch:
            response.headers["Vary"] = f"{patch}, Cookie" if patch else "Cookie"
        return response
