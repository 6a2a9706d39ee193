from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import URLPattern, URLResolver, include, path

from config import views as site_views
from guides.sitemaps import SITEMAPS

urlpatterns: list[URLPattern | URLResolver] = [
    path("admin/", admin.site.urls),
    path("healthz", include("ops.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("language/", site_views.choose_language, name="choose_language"),
    path("robots.txt", site_views.robots_txt, name="robots_txt"),
    path("sitemap.xml", sitemap, {"sitemaps": SITEMAPS}, name="sitemap"),
    path("accounts/", include("django.contrib.auth.urls")),
    path("workspace/oversight/", include("oversight.urls")),
    path("workspace/laws/", include("legal.urls")),
    path("workspace/adoption/", include("adoption.urls")),
    path("workspace/", include("standards.urls")),
    path("api/v1/", include("api.urls")),
    path("search/", include("search.urls")),
    # Exports of published versions (public) and the workbook import (staff).
    path("", include("interchange.urls")),
    # The Atom feed (public) and webhook subscriptions (staff).
    path("", include("subscriptions.urls")),
    path("", include("guides.urls")),
]

# Uploaded files are never served from MEDIA_URL directly: drafts' files go
# through access-checked views (standards.views.files).

handler404 = "config.views.page_not_found"
handler500 = "config.views.server_error"

admin.site.site_header = "行政审批标准管理系统"
admin.site.site_title = "行政审批标准"
