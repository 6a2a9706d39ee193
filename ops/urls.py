from django.urls import URLPattern, path

from . import views

# Mounted at /healthz by config/urls.py (no trailing slash: probes ask for it plainly).
urlpatterns: list[URLPattern] = [path("", views.healthz, name="healthz")]
