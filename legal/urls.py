from django.urls import URLPattern, path

app_name = "legal"
urlpatterns: list[URLPattern] = []
