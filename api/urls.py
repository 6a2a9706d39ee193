"""The REST API, version 1 (mounted at /api/v1/)."""

from django.urls import URLPattern, URLResolver, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from .views import catalogue, drafts, published, registry
from .views.token_page import token_page

app_name = "api"

STANDARD = "standards/<str:basic_code>/<str:department_code>/"

urlpatterns: list[URLPattern | URLResolver] = [
    # The OpenAPI document and its interactive page (Swagger UI from the sidecar's static files).
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api:schema"), name="docs"),
    path("token/", token_page, name="token"),
    # Catalogue and registry (public).
    path("regions/", catalogue.RegionList.as_view(), name="regions"),
    path("regions/<str:code>/", catalogue.RegionDetail.as_view(), name="region"),
    path("departments/", catalogue.DepartmentList.as_view(), name="departments"),
    path("departments/<str:code>/", catalogue.DepartmentDetail.as_view(), name="department"),
    path("items/", catalogue.ItemList.as_view(), name="items"),
    path("items/<str:basic_code>/", catalogue.ItemDetail.as_view(), name="item"),
    path("codelists/", registry.CodeListList.as_view(), name="codelists"),
    path("codelists/<str:name>/", registry.CodeListDetail.as_view(), name="codelist"),
    path("registry/sections/", registry.SectionList.as_view(), name="sections"),
    path("registry/fields/", registry.FieldList.as_view(), name="fields"),
    path("registry/fields/<str:code>/", registry.FieldDetail.as_view(), name="field"),
    # Published standards (public; the full snapshot for the owners and reviewers).
    path("standards/", published.PublishedList.as_view(), name="published"),
    path(STANDARD, published.InForce.as_view(), name="in-force"),
    path(f"{STANDARD}versions/", published.PublishedVersions.as_view(), name="published-versions"),
    path(
        f"{STANDARD}versions/<int:number>/",
        published.PublishedVersion.as_view(),
        name="published-version",
    ),
    # Drafts of the caller's department (token).
    path("drafts/", drafts.DraftList.as_view(), name="drafts"),
    path("drafts/<int:pk>/", drafts.DraftDetail.as_view(), name="draft"),
    path("drafts/<int:pk>/submit/", drafts.Submit.as_view(), name="draft-submit"),
    path(
        "drafts/<int:pk>/sections/<str:section>/",
        drafts.DraftSection.as_view(),
        name="draft-section",
    ),
]
