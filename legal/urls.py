from django.urls import URLPattern, path

from . import views

app_name = "legal"
urlpatterns: list[URLPattern] = [
    path("", views.library, name="library"),
    path("flags/<int:pk>/", views.flag_detail, name="flag"),
    path("flags/<int:pk>/dismiss/", views.dismiss_flag, name="dismiss_flag"),
]
