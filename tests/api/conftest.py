"""Fixtures of the API tests: people with roles, tokens, published standards."""

from __future__ import annotations

import datetime
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from standards.models import PublishedSnapshot, Region, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.snapshot import snapshot
from tests.factories import UserFactory


@pytest.fixture(autouse=True)
def fresh_throttle_counts():
    """Throttle counts live in the cache; each test starts without any."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def person(
    role: Role, department: Any = None, *, regions: tuple[str, ...] = (), name: str = ""
) -> Any:
    user: Any = UserFactory(
        username=name or f"{role}-{UserFactory._meta.model.objects.count()}", department=department
    )
    user.groups.set([ensure_role_groups()[role]])
    if regions:
        user.reviewed_regions.set(Region.objects.filter(code__in=regions))
    return user


def client_for(user: Any = None, *, lang: str | None = None) -> APIClient:
    """A client authenticated with the user's API token (anonymous without a user)."""
    client = APIClient()
    if user is not None:
        token, _created = Token.objects.get_or_create(user=user)
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
    return client


def publish_for_test(
    version: StandardVersion,
    user: Any,
    *,
    on: datetime.date | None = None,
    until: datetime.date | None = None,
    state: str = "published",
) -> PublishedSnapshot:
    """Test data: a version as the workflow leaves it after publishing (the workflow is tested
    in tests/standards; API tests that go through it use the real sample)."""
    start = on or timezone.localdate()
    StandardVersion.objects.filter(pk=version.pk).update(
        state=state, effective_from=start, effective_to=until
    )
    version.refresh_from_db()
    data = snapshot(version)
    return PublishedSnapshot.objects.create(
        version=version, schema_version=data["schema_version"], data=data, published_by=user
    )
