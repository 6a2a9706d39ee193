from django.urls import URLPattern, URLResolver, path

from .views import exports, imports

app_name = "interchange"

_VERSION = "exports/<str:basic_code>/<str:department_code>/v<int:number>"

urlpatterns: list[URLPattern | URLResolver] = [
    # Public exports: guide-audience fields of a published (or superseded) version.
    path(f"{_VERSION}/standard.json", exports.public_json, name="json"),
    path(f"{_VERSION}/standard.jsonld", exports.public_jsonld, name="jsonld"),
    path(f"{_VERSION}/standard.xlsx", exports.public_xlsx, name="xlsx"),
    # Full exports for the owning department and its reviewers.
    path(f"{_VERSION}/full/standard.json", exports.full_json, name="full_json"),
    path(f"{_VERSION}/full/standard.jsonld", exports.full_jsonld, name="full_jsonld"),
    path(f"{_VERSION}/full/standard.xlsx", exports.full_xlsx, name="full_xlsx"),
    # The workbook import (department staff), under the workspace.
    path("workspace/import/<str:basic_code>/", imports.upload, name="import"),
    path("workspace/import/<str:basic_code>/confirm/", imports.confirm, name="import_confirm"),
]
