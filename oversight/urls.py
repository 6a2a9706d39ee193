from django.urls import URLPattern, path

from . import views

app_name = "oversight"
urlpatterns: list[URLPattern] = [
    path("", views.dashboard, name="dashboard"),
    path("export/<slug:table>.csv", views.export, name="export"),
    path("checks/", views.checks, name="checks"),
]
