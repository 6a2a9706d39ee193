"""The site's URLs plus `/bench/minimal/`: a view that does nearly nothing.

It goes through the same middleware as every page, so the benchmark compares
the guide page's own cost against the floor of any Django response.
"""

from django.http import HttpRequest, HttpResponse
from django.urls import path

from config.urls import urlpatterns as site_urlpatterns


def minimal(request: HttpRequest) -> HttpResponse:
    return HttpResponse(b"ok", content_type="text/plain")


urlpatterns = [path("bench/minimal/", minimal), *site_urlpatterns]
