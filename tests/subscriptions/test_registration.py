"""Registering a receiver: only public HTTPS addresses (no SSRF), messages at the field."""

import pytest
from django.urls import reverse

from standards.roles import Role
from subscriptions.models import WebhookSubscription
from subscriptions.targets import TargetRefused, check_url

from .conftest import person

PUBLIC = "https://93.184.216.34/hooks/standards?token=abc"


@pytest.fixture
def staff_client(client, department):
    client.force_login(person(Role.DEPARTMENT_STAFF, department))
    # The messages below are the English msgids; the interface is Chinese by default.
    client.cookies["django_language"] = "en"
    return client


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.216.34/hook", "https://"),
        ("ftp://93.184.216.34/hook", "https://"),
        ("https://10.1.2.3/hook", "not a public Internet address"),
        ("https://192.168.0.10/hook", "not a public Internet address"),
        ("https://127.0.0.1/hook", "not a public Internet address"),
        ("https://localhost/hook", "not a public Internet address"),
        ("https://[::1]/hook", "not a public Internet address"),
        ("https://169.254.169.254/latest/meta-data/", "not a public Internet address"),
        ("https://[::ffff:10.0.0.1]/hook", "not a public Internet address"),
        ("https://100.64.0.1/hook", "not a public Internet address"),
        ("https://224.0.0.1/hook", "not a public Internet address"),
        ("https://0.0.0.0/hook", "not a public Internet address"),
        ("https://user:secret@93.184.216.34/hook", "user name or password"),
        ("https://no-such-host.invalid/hook", "could not be resolved"),
    ],
)
def test_refused_addresses_get_a_message_at_the_field_and_nothing_is_saved(
    staff_client, url, message
):
    response = staff_client.post(reverse("subscriptions:create"), {"url": url})
    assert response.status_code == 200
    errors = response.context["form"].errors["url"]
    assert any(message in str(error) for error in errors), errors
    assert not WebhookSubscription.objects.exists()


@pytest.mark.django_db
def test_a_public_https_address_is_registered_for_the_users_department(
    staff_client, department, other_department
):
    response = staff_client.post(
        reverse("subscriptions:create"),
        # A department user cannot choose another department: the field is not on the form.
        {"url": PUBLIC, "description": "网上办事大厅", "department": other_department.pk},
    )
    subscription = WebhookSubscription.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("subscriptions:detail", args=[subscription.pk])
    assert subscription.url == PUBLIC
    assert subscription.department == department
    assert subscription.secret.startswith("whsec_")
    assert len(subscription.secret) > 40


def test_loopback_over_http_is_allowed_only_in_development(settings):
    settings.DEBUG = False
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = False
    with pytest.raises(TargetRefused):
        check_url("http://localhost:8000/hook")
    settings.DEBUG = True
    assert check_url("http://localhost:8000/hook").host == "localhost"
    assert check_url("http://127.0.0.1:9000/hook?x=1").path == "/hook?x=1"
    # Development still refuses private networks and plain HTTP elsewhere.
    for url in ("http://10.0.0.1/hook", "https://10.0.0.1/hook", "http://93.184.216.34/hook"):
        with pytest.raises(TargetRefused):
            check_url(url)


def test_a_public_address_passes_without_a_name_lookup(settings):
    settings.WEBHOOKS_ALLOW_LOCAL_TARGETS = False
    target = check_url(PUBLIC)
    assert (target.scheme, target.host, target.port) == ("https", "93.184.216.34", 443)
    assert target.path == "/hooks/standards?token=abc"
