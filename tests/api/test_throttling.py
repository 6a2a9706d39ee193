"""Anonymous use is rate-limited; callers with a token are not held to that rate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from standards.roles import Role
from tests.api.conftest import client_for, person
from tests.factories import DepartmentFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def tiny_rate(settings):
    settings.REST_FRAMEWORK = {
        **settings.REST_FRAMEWORK,
        "DEFAULT_THROTTLE_RATES": {"anon": "3/minute"},
    }


def test_anonymous_callers_get_429_past_the_rate(tiny_rate):
    client = client_for()
    url = reverse("api:codelists")
    assert [client.get(url).status_code for _ in range(3)] == [200, 200, 200]
    response = client.get(url)
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    [error] = response.json()["errors"]
    assert error["code"] == "throttled" and "秒" in error["message"]
    # Every public endpoint shares the address's allowance.
    assert client.get(reverse("api:items")).status_code == 429


def test_token_holders_are_not_held_to_the_anonymous_rate(tiny_rate):
    client = client_for(person(Role.DEPARTMENT_STAFF, DepartmentFactory()))
    url = reverse("api:codelists")
    assert {client.get(url).status_code for _ in range(6)} == {200}


def test_the_rate_comes_from_the_environment(monkeypatch):
    import importlib

    import config.settings
    from config.env import ImproperlyConfiguredEnv

    monkeypatch.setenv("API_ANON_RATE", "10/fortnight")
    with pytest.raises(ImproperlyConfiguredEnv, match="API_ANON_RATE"):
        importlib.reload(config.settings)
    monkeypatch.setenv("API_ANON_RATE", "10/hour")
    reloaded = importlib.reload(config.settings)
    assert reloaded.REST_FRAMEWORK["DEFAULT_THROTTLE_RATES"] == {"anon": "10/hour"}
    monkeypatch.delenv("API_ANON_RATE")
    importlib.reload(config.settings)
