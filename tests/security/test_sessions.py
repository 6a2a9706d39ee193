"""Cookies, staff session lifetime, and `check --deploy` with production settings."""

from __future__ import annotations

import os
import secrets
import subprocess
import sys
import time

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from config.security import AUTH_STARTED_KEY, LAST_SEEN_KEY
from standards.roles import Role, ensure_role_groups
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct-Horse-battery-9"


@pytest.fixture
def staff():
    user = UserFactory(username="session_staff")
    user.set_password(PASSWORD)
    user.save()
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    return user


def signed_in(staff) -> Client:
    client = Client()
    response = client.post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    assert response.status_code == 302
    return client


def test_session_and_csrf_cookies_are_http_only_same_site_and_secure(staff):
    client = Client()
    page = client.get(reverse("login"))
    csrf = page.cookies[settings.CSRF_COOKIE_NAME]
    response = client.post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    session = response.cookies[settings.SESSION_COOKIE_NAME]
    for cookie in (session, csrf):
        assert cookie["httponly"] is True
        assert cookie["samesite"] == "Lax"
        assert cookie["secure"] is True  # tests run with DEBUG off, as production does
    assert int(session["max-age"]) == settings.SESSION_COOKIE_AGE <= 12 * 3600


def test_signing_in_gives_a_new_session_key(staff):
    client = Client()
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    client.post(reverse("login"), {"username": staff.username, "password": PASSWORD})
    assert client.session.session_key != before


def _age_session(client: Client, key: str, seconds: float) -> None:
    session = client.session
    session[key] = time.time() - seconds
    session.save()


def test_an_active_session_goes_on(staff):
    client = signed_in(staff)
    assert client.get(reverse("standards:home")).status_code == 200
    _age_session(client, LAST_SEEN_KEY, settings.SESSION_IDLE_TIMEOUT - 120)
    assert client.get(reverse("standards:home")).status_code == 200
    # The idle clock was wound forward by that request.
    assert time.time() - client.session[LAST_SEEN_KEY] < 60


def test_an_idle_session_ends_and_asks_to_sign_in_again(staff):
    client = signed_in(staff)
    client.get(reverse("standards:home"))
    _age_session(client, LAST_SEEN_KEY, settings.SESSION_IDLE_TIMEOUT + 1)
    response = client.get(reverse("standards:home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("standards:home")).status_code == 302


def test_a_session_ends_after_its_absolute_lifetime_even_when_busy(staff):
    client = signed_in(staff)
    client.get(reverse("standards:home"))
    _age_session(client, AUTH_STARTED_KEY, settings.SESSION_COOKIE_AGE + 1)
    response = client.get(reverse("standards:home"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_anonymous_visitors_get_no_session(client):
    response = client.get(reverse("guides:home"))
    assert settings.SESSION_COOKIE_NAME not in response.cookies


def test_security_headers_on_a_public_page(client):
    response = client.get(reverse("guides:home"))
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


CHECK = """
import django
from django.core.management import call_command
django.setup()
call_command("check", deploy=True, fail_level="WARNING")
print("DEPLOY-CHECK-CLEAN")
"""


def test_check_deploy_with_production_settings_gives_no_warning(tmp_path):
    """The real settings module, configured as production is: DEBUG off, a secret, hosts."""
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in ("DEBUG", "SECURE_SSL_REDIRECT", "SECRET_KEY", "ALLOWED_HOSTS")
    }
    env.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DEBUG="false",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="spsp.gd.gov.cn",
        DATABASE_URL=f"sqlite:///{tmp_path / 'deploy.sqlite3'}",
    )
    result = subprocess.run(  # noqa: S603 (our own interpreter and script)
        [sys.executable, "-c", CHECK],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "DEPLOY-CHECK-CLEAN" in result.stdout
    assert "WARNING" not in output and "?: (" not in output, output
