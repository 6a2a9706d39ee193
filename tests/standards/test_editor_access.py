"""Access to the workspace and the editor: denied by default, checked per object."""

import pytest
from django.urls import reverse

from standards.models import StandardVersion
from standards.roles import Role, ensure_role_groups
from tests.factories import DepartmentFactory, UserFactory, VersionFactory

pytestmark = pytest.mark.django_db


def member(role, department):
    user = UserFactory(department=department)
    user.groups.set([ensure_role_groups()[role]])
    return user


@pytest.fixture
def version():
    return VersionFactory()


def section_url(version, code="B00"):
    return reverse("standards:section", args=[version.pk, code])


def test_anonymous_users_are_sent_to_sign_in(client, version):
    response = client.get(section_url(version))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_staff_of_another_department_get_404_for_the_version(client, version):
    client.force_login(member(Role.DEPARTMENT_STAFF, DepartmentFactory()))
    assert client.get(section_url(version)).status_code == 404
    assert client.post(section_url(version), {}).status_code == 404
    assert client.get(reverse("standards:version", args=[version.pk])).status_code == 404


def test_reviewers_cannot_use_the_department_workspace(client, version):
    client.force_login(member(Role.EDITORIAL_REVIEWER, version.standard.department))
    home = client.get(reverse("standards:home"))
    assert (home.status_code, home["Location"]) == (302, reverse("standards:review_queue"))
    assert client.get(section_url(version)).status_code == 404


def test_a_user_without_a_role_is_refused(client, version):
    client.force_login(UserFactory(department=version.standard.department))
    assert client.get(reverse("standards:home")).status_code == 403
    assert client.get(section_url(version)).status_code == 404


def test_staff_of_the_department_may_open_and_save(client, version):
    client.force_login(member(Role.DEPARTMENT_STAFF, version.standard.department))
    assert client.get(section_url(version)).status_code == 200


@pytest.mark.parametrize(
    "state",
    [s for s in StandardVersion.State.values if s not in ("draft", "returned")],
)
def test_versions_outside_draft_and_returned_are_read_only(client, version, state):
    StandardVersion.objects.filter(pk=version.pk).update(state=state)
    client.force_login(member(Role.DEPARTMENT_STAFF, version.standard.department))
    page = client.get(section_url(version))
    assert page.status_code == 200
    assert "disabled" in page.text
    assert client.post(section_url(version), {}).status_code == 403
    new_row = reverse("standards:new_row", args=[version.pk, "material"])
    assert client.get(new_row).status_code == 403


def test_unknown_sections_and_groups_are_404(client, version):
    client.force_login(member(Role.DEPARTMENT_STAFF, version.standard.department))
    assert client.get(section_url(version, "E99")).status_code == 404
    assert (
        client.get(reverse("standards:new_row", args=[version.pk, "basic_info"])).status_code == 404
    )
    assert client.get(reverse("standards:new_row", args=[version.pk, "nothing"])).status_code == 404


def test_state_changing_requests_need_post(client, version):
    client.force_login(member(Role.DEPARTMENT_STAFF, version.standard.department))
    item = version.standard.item
    assert client.get(reverse("standards:start", args=[item.basic_code])).status_code == 405
    assert client.get(reverse("standards:new_draft", args=[version.pk])).status_code == 405


def test_csrf_is_required_for_saving(version):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(member(Role.DEPARTMENT_STAFF, version.standard.department))
    assert browser.post(section_url(version), {}).status_code == 403
