"""Sign-in throttling (django-axes): lockout by user name and address, a cool-off, a clear page."""

from __future__ import annotations

import datetime

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-battery-9"


@pytest.fixture
def user():
    person = UserFactory(username="throttled_staff")
    person.set_password(PASSWORD)
    person.save()
    return person


def sign_in(password: str, username: str = "throttled_staff", address: str = "10.0.0.1"):
    client = Client(REMOTE_ADDR=address)
    response = client.post(reverse("login"), {"username": username, "password": password})
    return client, response


def fail_until_locked(username: str = "throttled_staff", address: str = "10.0.0.1") -> None:
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        _client, response = sign_in("wrong", username, address)
    assert response.status_code == 429


def test_the_settings_lock_by_user_name_and_address_with_a_cool_off():
    assert settings.AXES_FAILURE_LIMIT == 5
    assert settings.AXES_LOCKOUT_PARAMETERS == [["username", "ip_address"]]
    assert datetime.timedelta(minutes=15) == settings.AXES_COOLOFF_TIME
    assert settings.AXES_RESET_ON_SUCCESS


def test_a_few_mistakes_are_only_a_form_error(user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        _client, response = sign_in("wrong")
        assert response.status_code == 200
        assert response.context["form"].errors
    client, response = sign_in(PASSWORD)
    assert response.status_code == 302
    assert client.session.get("_auth_user_id") == str(user.pk)


def test_after_the_limit_even_the_right_password_is_refused_with_the_lockout_page(user):
    fail_until_locked()
    client, response = sign_in(PASSWORD)
    assert response.status_code == 429
    assert "registration/locked_out.html" in [t.name for t in response.templates]
    assert response.context["minutes"] == 15
    assert "_auth_user_id" not in client.session
    # The page says nothing about whether the account exists.
    _client, unknown = sign_in("wrong", username="nobody_here")
    assert unknown.status_code == 200


def test_the_lockout_page_is_in_chinese_by_default(user):
    fail_until_locked()
    _client, response = sign_in(PASSWORD)
    text = response.content.decode()
    assert 'lang="zh-Hans"' in text
    assert "15" in text
    assert response["Content-Security-Policy"]


def test_the_lockout_holds_one_user_at_one_address_only(user):
    fail_until_locked()
    other = UserFactory(username="colleague")
    other.set_password(PASSWORD)
    other.save()
    assert sign_in(PASSWORD, username="colleague")[1].status_code == 302
    assert sign_in(PASSWORD, address="10.0.0.2")[1].status_code == 302


def test_a_forged_forwarded_for_header_does_not_dodge_the_lockout(user):
    """Without trusted proxies the address is REMOTE_ADDR; X-Forwarded-For is ignored."""
    fail_until_locked()
    client = Client(REMOTE_ADDR="10.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")
    response = client.post(reverse("login"), {"username": "throttled_staff", "password": PASSWORD})
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_client_address_comes_from_the_header(user, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.7").post(
            reverse("login"), {"username": "throttled_staff", "password": "wrong"}
        )
    assert AccessAttempt.objects.get().ip_address == "198.51.100.7"
    # Another client behind the same proxy is not locked out.
    other = Client(REMOTE_ADDR="10.9.9.9", HTTP_X_FORWARDED_FOR="198.51.100.8")
    response = other.post(reverse("login"), {"username": "throttled_staff", "password": PASSWORD})
    assert response.status_code == 302


def test_after_the_cool_off_the_user_may_sign_in_again(user):
    fail_until_locked()
    past = timezone.now() - settings.AXES_COOLOFF_TIME - datetime.timedelta(seconds=1)
    AccessAttempt.objects.update(attempt_time=past)
    assert sign_in(PASSWORD)[1].status_code == 302


def test_a_successful_sign_in_clears_the_count(user):
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        sign_in("wrong")
    assert sign_in(PASSWORD)[1].status_code == 302
    for _attempt in range(settings.AXES_FAILURE_LIMIT - 1):
        assert sign_in("wrong")[1].status_code == 200
    assert sign_in(PASSWORD)[1].status_code == 302


def test_the_admin_sign_in_is_throttled_too(user):
    user.is_staff = True
    user.save()
    client = Client(REMOTE_ADDR="10.0.0.5")
    for _attempt in range(settings.AXES_FAILURE_LIMIT):
        response = client.post(
            reverse("admin:login"), {"username": "throttled_staff", "password": "wrong"}
        )
    response = client.post(
        reverse("admin:login"), {"username": "throttled_staff", "password": PASSWORD}
    )
    assert response.status_code == 429
