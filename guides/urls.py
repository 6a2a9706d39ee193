from django.urls import path

from search.views import home

from . import views

app_name = "guides"
urlpatterns = [
    path("", home, name="home"),
    path("guides/<str:basic_code>/<str:department_code>/", views.guide, name="guide"),
    path(
        "guides/<str:basic_code>/<str:department_code>/guide.pdf", views.guide_pdf, name="guide_pdf"
    ),
]
