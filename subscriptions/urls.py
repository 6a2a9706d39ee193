from django.urls import URLPattern, URLResolver, path

from . import feeds, views

app_name = "subscriptions"
urlpatterns: list[URLPattern | URLResolver] = [
    # Public Atom feeds of publications.
    path("feeds/publications/", feeds.PublicationsFeed(), name="feed"),
    path(
        "feeds/departments/<str:department_code>/publications/",
        feeds.DepartmentPublicationsFeed(),
        name="department_feed",
    ),
    # Staff pages for webhook subscriptions.
    path("workspace/webhooks/", views.subscription_list, name="list"),
    path("workspace/webhooks/new/", views.subscription_create, name="create"),
    path("workspace/webhooks/<int:pk>/", views.subscription_detail, name="detail"),
    path("workspace/webhooks/<int:pk>/test/", views.send_test, name="test"),
    path("workspace/webhooks/<int:pk>/toggle/", views.toggle, name="toggle"),
    path(
        "workspace/webhooks/<int:pk>/deliveries/<int:delivery_pk>/redeliver/",
        views.redeliver,
        name="redeliver",
    ),
]
