"""URLs for comparing versions and reading a version's history."""

from django.urls import URLPattern, path

from .views import versions

urlpatterns: list[URLPattern] = [
    path("standards/<int:pk>/compare/", versions.compare, name="compare"),
    path("versions/<int:pk>/history/", versions.history, name="history"),
]
