from django.urls import path

from search.views import home

from . import files, views

app_name = "guides"
urlpatterns = [
    path("", home, name="home"),
    path("guides/<str:basic_code>/<str:department_code>/", views.guide, name="guide"),
    path(
        "guides/<str:basic_code>/<str:department_code>/guide.pdf", views.guide_pdf, name="guide_pdf"
    ),
    path(
        "guides/<str:basic_code>/<str:department_code>/v<int:number>/",
        views.guide_version,
        name="guide_version",
    ),
    path(
        "guides/<str:basic_code>/<str:department_code>/v<int:number>/guide.pdf",
        views.guide_version_pdf,
        name="guide_version_pdf",
    ),
    path(
        "guides/<str:basic_code>/<str:department_code>/v<int:number>/files/<str:code>/<str:row_id>/",
        files.published_file,
        name="file",
    ),
]
