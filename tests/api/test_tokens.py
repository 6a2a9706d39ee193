"""Getting and rotating an API token: the workspace page and the management command."""

from __future__ import annotations

import re
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse
from rest_framework.authtoken.models import Token

from standards.roles import Role
from tests.api.conftest import person
from tests.factories import DepartmentFactory, UserFactory

pytestmark = pytest.mark.django_db


def shown_key(response):
    found = re.search(r'id="api-token">([0-9a-f]{40})<', response.content.decode())
    return found[1] if found else None


def test_the_page_needs_a_signed_in_user(client):
    response = client.get(reverse("api:token"))
    assert response.status_code == 302 and "login" in response["Location"]


def test_users_without_a_role_get_no_token(client):
    client.force_login(UserFactory())
    assert client.post(reverse("api:token")).status_code == 403
    assert not Token.objects.exists()


def test_a_token_is_shown_once_and_rotating_it_ends_the_old_one(client):
    user = person(Role.DEPARTMENT_STAFF, DepartmentFactory())
    client.force_login(user)
    assert shown_key(client.get(reverse("api:token"))) is None
    first = shown_key(client.post(reverse("api:token")))
    assert first and Token.objects.get(user=user).key == first
    page = client.get(reverse("api:token"))
    assert shown_key(page) is None and first not in page.content.decode()
    assert page["Cache-Control"].startswith("max-age=0")
    second = shown_key(client.post(reverse("api:token")))
    assert second and second != first
    assert not Token.objects.filter(key=first).exists()


def test_the_page_posts_with_the_csrf_token():
    from django.test import Client

    user = person(Role.DEPARTMENT_STAFF, DepartmentFactory())
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    assert client.post(reverse("api:token")).status_code == 403


def test_the_command_prints_a_new_token():
    user = person(Role.DEPARTMENT_LEADER, DepartmentFactory(), name="leader1")
    out = StringIO()
    call_command("api_token", "leader1", stdout=out)
    assert out.getvalue().strip() == Token.objects.get(user=user).key
    with pytest.raises(CommandError, match="No active user"):
        call_command("api_token", "nobody")
    UserFactory(username="plain")
    with pytest.raises(CommandError, match="no role"):
        call_command("api_token", "plain")
