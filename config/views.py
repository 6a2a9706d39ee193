"""Site-wide views: the language switch, robots.txt and the error pages."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET


@require_GET
def choose_language(request: HttpRequest) -> HttpResponse:
    """Remember the interface language in Django's language cookie, then go back.

    A GET link rather than Django's POST `set_language`: public pages then carry
    no CSRF token and can be cached whole. The choice changes nothing but the
    language of the pages this browser is shown.
    """
    language = request.GET.get("language", "")
    if language not in dict(settings.LANGUAGES):
        return HttpResponseBadRequest(_("Unknown language."))
    target = request.GET.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = reverse("guides:home")
    response = HttpResponseRedirect(target)
    response.set_cookie(
        settings.LANGUAGE_COOKIE_NAME,
        language,
        max_age=settings.LANGUAGE_COOKIE_AGE or 365 * 24 * 3600,
        samesite="Lax",
        secure=settings.SESSION_COOKIE_SECURE,
        httponly=True,
    )
    return response


ROBOTS = """User-agent: *
Disallow: /workspace/
Disallow: /admin/
Disallow: /accounts/
Disallow: /language/
Allow: /

Sitemap: {sitemap}
"""


@require_GET
def robots_txt(request: HttpRequest) -> HttpResponse:
    sitemap = request.build_absolute_uri(reverse("sitemap"))
    return HttpResponse(ROBOTS.format(sitemap=sitemap), content_type="text/plain; charset=utf-8")


def page_not_found(request: HttpRequest, exception: Exception) -> HttpResponse:
    return render(request, "404.html", status=404)


def server_error(request: HttpRequest) -> HttpResponse:
    # No context processors and no database: the error may come from either.
    from django.template import loader

    return HttpResponse(loader.get_template("500.html").render(), status=500)
