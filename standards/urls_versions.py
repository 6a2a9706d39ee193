"""URLs for comparing versions and reading a version's history."""

urlpatterns: list = []
