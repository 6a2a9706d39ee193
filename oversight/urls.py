from django.urls import URLPattern, path

app_name = "oversight"
urlpatterns: list[URLPattern] = []
