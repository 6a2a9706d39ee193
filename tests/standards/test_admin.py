"""The Django admin opens every model's list and a version with all its content."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.content import fill_version
from tests.factories import UserFactory, VersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def superuser_client(client):
    user = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(user)
    return client


def test_every_registered_model_has_a_working_list_page(superuser_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    fill_version(VersionFactory())
    for model in admin.site._registry:
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert superuser_client.get(url).status_code == 200, url


def test_a_version_opens_with_every_content_group_and_its_history(
    superuser_client, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    version = VersionFactory()
    fill_version(version)
    response = superuser_client.get(
        reverse("admin:standards_standardversion_change", args=[version.pk])
    )
    assert response.status_code == 200
    history = superuser_client.get(
        reverse("admin:standards_standardversion_history", args=[version.pk])
    )
    assert history.status_code == 200


def test_content_rows_open_with_history(superuser_client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    version = VersionFactory()
    material = fill_version(version)["material"][0]
    change = reverse("admin:standards_material_change", args=[material.pk])
    assert superuser_client.get(change).status_code == 200
    history = reverse("admin:standards_material_history", args=[material.pk])
    assert superuser_client.get(history).status_code == 200


def test_staff_without_permissions_cannot_open_content(client):
    client.force_login(UserFactory(is_staff=True))
    response = client.get(reverse("admin:standards_material_changelist"))
    assert response.status_code == 403
