"""The staff pages: who sees and changes which subscriptions, the actions, query counts."""

import pytest
from django.tasks import default_task_backend
from django.urls import resolve, reverse

from standards.roles import Role
from subscriptions import views
from subscriptions.models import DeliveryAttempt, WebhookDelivery, WebhookSubscription

from .conftest import person, publish

PUBLIC = "https://93.184.216.34/hook"


def subscribe(department, url=PUBLIC, **fields):
    return WebhookSubscription.objects.create(
        url=url, department=department, created_by=person(Role.ADMINISTRATOR), **fields
    )


def login(client, user):
    client.force_login(user)
    return client


@pytest.fixture(autouse=True)
def clear_tasks():
    default_task_backend.clear()
    yield
    default_task_backend.clear()


def test_the_urls_resolve_to_these_views_not_the_workspace():
    assert reverse("subscriptions:list") == "/workspace/webhooks/"
    assert resolve("/workspace/webhooks/").func == views.subscription_list
    assert resolve("/workspace/webhooks/new/").func == views.subscription_create
    assert resolve("/workspace/webhooks/7/").func == views.subscription_detail
    assert resolve("/workspace/webhooks/7/deliveries/3/redeliver/").func == views.redeliver
    assert reverse("subscriptions:feed") == "/feeds/publications/"


@pytest.mark.django_db
def test_the_secret_is_shown_once(client, department):
    login(client, person(Role.DEPARTMENT_LEADER, department))
    response = client.post(reverse("subscriptions:create"), {"url": PUBLIC}, follow=True)
    subscription = WebhookSubscription.objects.get()
    assert subscription.secret in response.text
    again = client.get(reverse("subscriptions:detail", args=[subscription.pk]))
    assert again.status_code == 200
    assert subscription.secret not in again.text


@pytest.mark.django_db
def test_an_administrator_registers_for_all_departments_or_any(client, department):
    admin = login(client, person(Role.ADMINISTRATOR))
    admin.post(reverse("subscriptions:create"), {"url": PUBLIC, "department": ""})
    admin.post(reverse("subscriptions:create"), {"url": PUBLIC, "department": department.pk})
    assert sorted(
        WebhookSubscription.objects.values_list("department", flat=True), key=str
    ) == sorted([None, department.pk], key=str)


@pytest.mark.django_db
def test_a_department_sees_and_changes_only_its_own_subscriptions(
    client, department, other_department
):
    mine = subscribe(department, description="本部门接收端")
    theirs = subscribe(other_department, description="其他部门接收端")
    everyone = subscribe(None, description="全省接收端")
    publish(other_department)
    delivery = theirs.deliveries.get()
    login(client, person(Role.DEPARTMENT_STAFF, department))

    listing = client.get(reverse("subscriptions:list"))
    assert "本部门接收端" in listing.text
    assert "其他部门接收端" not in listing.text
    assert "全省接收端" not in listing.text
    for other in (theirs, everyone):
        assert client.get(reverse("subscriptions:detail", args=[other.pk])).status_code == 404
        for name in ("test", "toggle"):
            assert client.post(reverse(f"subscriptions:{name}", args=[other.pk])).status_code == 404
    url = reverse("subscriptions:redeliver", args=[theirs.pk, delivery.pk])
    assert client.post(url).status_code == 404
    # Nor through its own subscription's address.
    url = reverse("subscriptions:redeliver", args=[mine.pk, delivery.pk])
    assert client.post(url).status_code == 404
    theirs.refresh_from_db()
    assert theirs.is_active
    assert theirs.deliveries.filter(event_type="webhook.test").count() == 0
    assert default_task_backend.results == []


@pytest.mark.django_db
def test_reviewers_and_anonymous_users_have_no_access(client, department):
    subscription = subscribe(department)
    anonymous = client.get(reverse("subscriptions:list"))
    assert anonymous.status_code == 302
    assert reverse("login") in anonymous["Location"]
    login(client, person(Role.EDITORIAL_REVIEWER))
    assert client.get(reverse("subscriptions:list")).status_code == 403
    assert client.get(reverse("subscriptions:create")).status_code == 403
    assert client.get(reverse("subscriptions:detail", args=[subscription.pk])).status_code == 403


@pytest.mark.django_db
def test_send_test_event_queues_a_test_delivery(
    client, department, django_capture_on_commit_callbacks
):
    subscription = subscribe(department)
    login(client, person(Role.DEPARTMENT_STAFF, department))
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("subscriptions:test", args=[subscription.pk]))
    assert response.status_code == 302
    delivery = subscription.deliveries.get()
    assert delivery.event_type == "webhook.test"
    assert delivery.snapshot is None
    assert [list(r.args) for r in default_task_backend.results] == [[delivery.pk]]
    assert client.get(reverse("subscriptions:test", args=[subscription.pk])).status_code == 405


@pytest.mark.django_db
def test_redeliver_restarts_a_finished_delivery_only(client, department):
    subscription = subscribe(department)
    publish(department)
    delivery = subscription.deliveries.get()
    login(client, person(Role.DEPARTMENT_STAFF, department))
    url = reverse("subscriptions:redeliver", args=[subscription.pk, delivery.pk])

    client.post(url)  # still pending: nothing happens
    assert default_task_backend.results == []

    WebhookDelivery.objects.filter(pk=delivery.pk).update(
        status=WebhookDelivery.Status.FAILED, round_attempts=6, attempt_count=6
    )
    client.post(url)
    delivery.refresh_from_db()
    assert delivery.status == WebhookDelivery.Status.PENDING
    assert delivery.round_attempts == 0
    assert delivery.attempt_count == 6  # the log keeps numbering on
    assert [list(r.args) for r in default_task_backend.results] == [[delivery.pk]]


@pytest.mark.django_db
def test_switching_off_cancels_pending_deliveries(client, department):
    subscription = subscribe(department)
    publish(department)
    login(client, person(Role.DEPARTMENT_LEADER, department))
    client.post(reverse("subscriptions:toggle", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert not subscription.is_active
    assert subscription.deliveries.get().status == WebhookDelivery.Status.CANCELLED
    client.post(reverse("subscriptions:toggle", args=[subscription.pk]))
    subscription.refresh_from_db()
    assert subscription.is_active


@pytest.mark.django_db
def test_delivery_log_is_shown_escaped(client, department):
    subscription = subscribe(department, description="<b>接收端</b>")
    publish(department, name="<script>x</script>事项")
    delivery = subscription.deliveries.get()
    DeliveryAttempt.objects.create(
        delivery=delivery, number=1, status_code=500, error="HTTP 500",
        response_excerpt="<script>alert(1)</script>",
    )  # fmt: skip
    login(client, person(Role.DEPARTMENT_STAFF, department))
    page = client.get(reverse("subscriptions:detail", args=[subscription.pk]))
    assert "<script>" not in page.text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page.text
    assert "HTTP 500" in page.text


@pytest.mark.django_db
def test_list_query_count_is_flat(client, department, django_assert_max_num_queries):
    user = person(Role.ADMINISTRATOR)
    login(client, user)
    url = reverse("subscriptions:list")
    counts = []
    for total in (5, 10):
        while WebhookSubscription.objects.count() < total:
            subscribe(department)
        client.get(url)  # session and role caches warmed alike
        with django_assert_max_num_queries(8) as captured:
            response = client.get(url)
        assert len(response.context["page"].object_list) == total
        counts.append(len(captured))
    assert counts[0] == counts[1]


@pytest.mark.django_db
def test_detail_query_count_is_flat(client, department, django_assert_max_num_queries):
    subscription = subscribe(department)
    login(client, person(Role.DEPARTMENT_STAFF, department))
    url = reverse("subscriptions:detail", args=[subscription.pk])
    counts = []
    for total in (3, 6):
        while subscription.deliveries.count() < total:
            publish(department)
        for delivery in subscription.deliveries.filter(attempts__isnull=True):
            for number in (1, 2):
                DeliveryAttempt.objects.create(delivery=delivery, number=number, status_code=500)
        with django_assert_max_num_queries(10) as captured:
            response = client.get(url)
        assert len(response.context["page"].object_list) == total
        counts.append(len(captured))
    assert counts[0] == counts[1]
