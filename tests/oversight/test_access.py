"""Who may open the dashboard, its exports and the checks page."""

from __future__ import annotations

import pytest
from django.urls import reverse

from standards.models import StandardVersion
from tests.factories import UserFactory
from tests.oversight.builders import department, person, standard, version

State = StandardVersion.State
PAGES = [
    reverse("oversight:dashboard"),
    reverse("oversight:checks"),
    reverse("oversight:export", args=["progress-department"]),
]


@pytest.mark.parametrize("url", PAGES)
def test_anonymous_users_are_sent_to_sign_in(client, db, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role", ["department_staff", "administrator"])
def test_staff_and_administrators_are_refused(client, places, url, role):
    client.force_login(person(role, department=department(places["county"])))
    assert client.get(url).status_code == 403


@pytest.mark.parametrize("url", PAGES)
def test_a_user_without_a_role_is_refused(client, places, url):
    client.force_login(UserFactory(department=None))
    assert client.get(url).status_code == 403


def test_a_leader_never_sees_another_departments_names(client, places):
    own = department(places["county"], "南海区局")
    other = department(places["county"], "南海区另一局")
    version(standard(own), State.DRAFT)
    version(standard(other), State.DRAFT, materials=["营业执照"])
    version(standard(other), State.PUBLISHED, materials=["营业执照复印件"])
    client.force_login(person("department_leader", department=own))
    for url in PAGES[:2]:
        body = client.get(url).content.decode()
        assert "南海区局" in body
        assert "南海区另一局" not in body


def test_a_reviewer_without_regions_sees_nothing_of_anyone(client, places):
    version(standard(department(places["county"], "南海区局")), State.DRAFT)
    client.force_login(person("editorial_reviewer", reviews=[]))
    response = client.get(PAGES[0])
    assert response.status_code == 200
    assert "南海区局" not in response.content.decode()


def test_unknown_export_is_404(client, places):
    client.force_login(person("editorial_reviewer", reviews=[places["province"]]))
    assert client.get(reverse("oversight:export", args=["nope"])).status_code == 404


def test_the_page_draws_accessible_charts_and_escapes_names(client, places):
    version(standard(department(places["county"], "<script>alert(1)</script>局")), State.PUBLISHED)
    client.force_login(person("editorial_reviewer", reviews=[places["province"]]))
    body = client.get(PAGES[0]).content.decode()
    assert "<script>alert(1)" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;局" in body
    # Progress by department, by level and the reform; no rounds yet, so no turnaround chart.
    assert body.count('role="img"') == 3
    assert "<title id=" in body and "<desc id=" in body
