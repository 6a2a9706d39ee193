from django.urls import URLPattern, URLResolver

app_name = "interchange"
urlpatterns: list[URLPattern | URLResolver] = []
