from django.urls import path

from . import views

app_name = "adoption"
urlpatterns = [
    path("", views.home, name="home"),
    path("standards/<int:standard_pk>/template/", views.make_template, name="make_template"),
    path("templates/<int:template_pk>/adopt/", views.adopt_one, name="adopt"),
    path("adopt/", views.adopt_many, name="adopt_many"),
    path("batches/<int:pk>/", views.batch, name="batch"),
    path("batches/<int:pk>/status/", views.batch_status, name="batch_status"),
    path("drift/", views.drift_report, name="drift"),
    path("<int:pk>/", views.detail, name="detail"),
    path("<int:pk>/overrides/<int:override_pk>/withdraw/", views.withdraw, name="withdraw"),
    path("<int:pk>/changes/<int:change_pk>/", views.change, name="change"),
]
