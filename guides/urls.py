from django.urls import path

from . import views

app_name = "guides"
urlpatterns = [
    path("", views.home, name="home"),
]
