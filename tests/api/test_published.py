"""Published standards: the public rendition hides the business manual; owners see it all."""

from __future__ import annotations

import datetime
import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from standards.models import Region
from standards.registry import REGISTRY, Audience
from standards.roles import Role
from tests.api.conftest import client_for, person, publish_for_test
from tests.content import fill_version
from tests.factories import CityFactory, DepartmentFactory, VersionFactory

pytestmark = pytest.mark.django_db

MANUAL_ONLY = [f for f in REGISTRY if f.audience is Audience.MANUAL]


@pytest.fixture
def published():
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    publish_for_test(version, person(Role.DEPARTMENT_LEADER, version.standard.department))
    return version


def in_force_url(version, **query):
    standard = version.standard
    url = reverse("api:in-force", args=[standard.item.basic_code, standard.department.code])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def codes_in(content):
    found = set()
    for value in content.values():
        for record in value if isinstance(value, list) else [value]:
            found |= {k for k in record if k != "row_id"}
    return found


def test_there_are_manual_only_fields_to_hide():
    assert len(MANUAL_ONLY) > 50


def test_anonymous_callers_get_the_guide_fields_only(published):
    body = client_for().get(in_force_url(published)).json()
    assert body["audience"] == "public" and body["snapshot_sha256"] is None
    shown = codes_in(body["snapshot"]["content"])
    text = json.dumps(body, ensure_ascii=False)
    for field in MANUAL_ONLY:
        assert field.code not in shown, field
        assert f'"{field.code}"' not in text, field
    assert shown == {f.code for f in REGISTRY if f.in_guide}


def test_a_group_with_manual_fields_only_is_left_out(published):
    manual_groups = [
        g.name for g in REGISTRY.groups.values() if not any(f.in_guide for f in g.fields)
    ]
    content = client_for().get(in_force_url(published)).json()["snapshot"]["content"]
    assert manual_groups and not set(manual_groups) & set(content)


@pytest.mark.parametrize(
    "who",
    ["other_department_staff", "reviewer_elsewhere", "administrator"],
)
def test_others_signed_in_get_the_public_rendition_too(published, who):
    user = {
        "other_department_staff": lambda: person(Role.DEPARTMENT_STAFF, DepartmentFactory()),
        "reviewer_elsewhere": lambda: person(
            Role.EDITORIAL_REVIEWER, regions=(CityFactory().code,)
        ),
        "administrator": lambda: person(Role.ADMINISTRATOR),
    }[who]()
    body = client_for(user).get(in_force_url(published)).json()
    assert body["audience"] == "public"
    assert not codes_in(body["snapshot"]["content"]) & {f.code for f in MANUAL_ONLY}


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER, "reviewer"])
def test_the_owning_department_and_its_reviewers_get_the_full_snapshot(published, role):
    if role == "reviewer":
        user = person(Role.EDITORIAL_REVIEWER, regions=(published.standard.region.code,))
    else:
        user = person(role, published.standard.department)
    body = client_for(user).get(in_force_url(published)).json()
    stored = published.published_snapshot
    assert body["audience"] == "full" and body["snapshot_sha256"] == stored.sha256
    assert body["snapshot"] == stored.data
    assert {f.code for f in MANUAL_ONLY} <= codes_in(body["snapshot"]["content"])


def test_a_reviewer_of_the_province_reads_a_citys_standard_in_full():
    city = CityFactory()
    version = VersionFactory(
        standard__department=DepartmentFactory(region=city),
        standard__region=city,
    )
    fill_version(version)
    publish_for_test(version, person(Role.DEPARTMENT_LEADER, version.standard.department))
    reviewer = person(Role.EDITORIAL_REVIEWER, regions=(city.parent.code,))
    assert client_for(reviewer).get(in_force_url(version)).json()["audience"] == "full"


def test_versions_by_number_and_by_date_in_force(published):
    leader = person(Role.DEPARTMENT_LEADER, published.standard.department)
    today = timezone.localdate()
    # v1 in force until the day before v2 takes effect (as the workflow records it).
    from standards.models import StandardVersion

    StandardVersion.objects.filter(pk=published.pk).update(
        state="superseded", effective_to=today + datetime.timedelta(days=9)
    )
    second = VersionFactory(standard=published.standard, number=2)
    fill_version(second)
    publish_for_test(second, leader, on=today + datetime.timedelta(days=10))
    client = client_for()
    assert client.get(in_force_url(published)).json()["version"] == 1
    later = (today + datetime.timedelta(days=10)).isoformat()
    assert client.get(in_force_url(published, on=later)).json()["version"] == 2
    earlier = (today - datetime.timedelta(days=1)).isoformat()
    assert client.get(in_force_url(published, on=earlier)).status_code == 404
    standard = published.standard
    args = [standard.item.basic_code, standard.department.code]
    versions = client.get(reverse("api:published-versions", args=args)).json()["results"]
    assert [v["version"] for v in versions] == [2, 1]
    assert [v["state"] for v in versions] == ["published", "superseded"]
    by_number = client.get(reverse("api:published-version", args=[*args, 1])).json()
    assert by_number["version"] == 1 and by_number["audience"] == "public"
    assert client.get(reverse("api:published-version", args=[*args, 3])).status_code == 404


def test_drafts_are_never_published_data():
    draft = VersionFactory()
    fill_version(draft)
    standard = draft.standard
    args = [standard.item.basic_code, standard.department.code]
    client = client_for()
    assert client.get(in_force_url(draft)).status_code == 404
    assert client.get(reverse("api:published-version", args=[*args, 1])).status_code == 404
    assert client.get(reverse("api:published-versions", args=args)).json()["count"] == 0
    assert client.get(reverse("api:published")).json()["count"] == 0


def test_a_bad_date_is_a_400_naming_the_parameter(published):
    response = client_for().get(in_force_url(published, on="2026-13-45"))
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "on"


# The list -------------------------------------------------------------------------


def published_standards(count, **factory):
    leader = None
    for _ in range(count):
        version = VersionFactory(**factory)
        leader = leader or person(Role.DEPARTMENT_LEADER, version.standard.department)
        publish_for_test(version, leader)


def test_the_list_filters_by_department_level_type_and_date(published):
    city = CityFactory()
    city_version = VersionFactory(
        standard__department=DepartmentFactory(region=city),
        standard__region=city,
        standard__item__item_type="07",
    )
    publish_for_test(city_version, person(Role.DEPARTMENT_LEADER, city_version.standard.department))
    client = client_for()
    url = reverse("api:published")

    def found(**query):
        response = client.get(url, query)
        assert response.status_code == 200, response.json()
        return [r["item"]["basic_code"] for r in response.json()["results"]]

    both = sorted([published.standard.item.basic_code, city_version.standard.item.basic_code])
    assert found() == both
    city_code = city_version.standard.item.basic_code
    assert found(department=city_version.standard.department.code) == [city_code]
    assert found(level=Region.Level.CITY) == [city_version.standard.item.basic_code]
    assert found(type="07") == [city_version.standard.item.basic_code]
    assert found(region=city.code) == [city_version.standard.item.basic_code]
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).isoformat()
    assert found(updated_since=tomorrow) == []
    assert sorted(found(updated_since=timezone.localdate().isoformat())) == both
    # Offsets PostgreSQL would refuse (schemathesis found one) are read in UTC.
    assert found(updated_since="9684-11-18T03:40:20-17:02") == []


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("level", "planet"),
        ("type", "99"),
        ("updated_since", "yesterday"),
        ("updated_since", "0001-01-01T00:00:00+10:00"),
        ("department", "x" * 80),
    ],
)
def test_bad_filter_values_are_400_naming_the_parameter(name, value):
    response = client_for().get(reverse("api:published"), {name: value})
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == name


def test_the_list_costs_the_same_queries_for_n_and_2n_standards():
    client = client_for()
    published_standards(5)
    with CaptureQueriesContext(connection) as small:
        assert client.get(reverse("api:published")).json()["count"] == 5
    published_standards(5)
    with CaptureQueriesContext(connection) as large:
        assert client.get(reverse("api:published")).json()["count"] == 10
    assert len(large) == len(small) <= 4


# Conditional GET ------------------------------------------------------------------


def test_unchanged_data_is_answered_304_and_changes_change_the_tag(published):
    client = client_for()
    first = client.get(in_force_url(published))
    tag = first["ETag"]
    assert tag and first["Cache-Control"] == "public, no-cache"
    again = client.get(in_force_url(published), HTTP_IF_NONE_MATCH=tag)
    assert again.status_code == 304 and again.content == b""
    assert client.get(in_force_url(published), HTTP_IF_NONE_MATCH='"other"').status_code == 200
    english = client.get(in_force_url(published) + "?lang=en", HTTP_IF_NONE_MATCH=tag)
    assert english.status_code in (200, 304)
    listing = client.get(reverse("api:published"))
    assert (
        client.get(reverse("api:published"), HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 304
    )
    published_standards(1)
    assert (
        client.get(reverse("api:published"), HTTP_IF_NONE_MATCH=listing["ETag"]).status_code == 200
    )
    staff = client_for(person(Role.DEPARTMENT_STAFF, published.standard.department))
    full = staff.get(in_force_url(published))
    assert full["ETag"] != tag and full["Cache-Control"] == "private, no-cache"
    assert "Authorization" in full["Vary"]
