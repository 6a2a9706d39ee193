"""The reviewers' queue: scope by region, filters, oldest first, a flat query count."""

import datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.timesince import timesince

from standards.models import Region, ReviewRound, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.services import workflow
from tests.factories import (
    ApprovalItemFactory,
    CityFactory,
    DepartmentFactory,
    RegionFactory,
    StandardFactory,
    UserFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db

QUEUE = reverse("standards:review_queue")


def member(role, department=None, regions=()):
    """A user with one role; reviewers get the regions they review."""
    user = UserFactory(department=department)
    user.groups.set([ensure_role_groups()[role]])
    user.reviewed_regions.set(regions)
    return user


def submitted_version(
    department=None, *, state="submitted", days_ago=0, content=None, reviewer=None, item=None
):
    """A version of `department` submitted `days_ago` days ago, in `state`, with its open round."""
    department = department or DepartmentFactory()
    item = item or ApprovalItemFactory(department=department)
    version = VersionFactory(standard=StandardFactory(item=item, department=department))
    author = member(Role.DEPARTMENT_STAFF, department)
    ReviewRound.objects.create(
        version=version,
        number=1,
        submitted_by=author,
        submitted_at=timezone.now() - datetime.timedelta(days=days_ago),
        submitted_content=content or {},
        reviewer=reviewer,
        review_started_at=timezone.now() if reviewer else None,
    )
    StandardVersion.objects.filter(pk=version.pk).update(state=state)
    version.refresh_from_db()
    return version


@pytest.fixture
def regions():
    province = RegionFactory()
    city = CityFactory(code="440600", name="佛山市", parent=province)
    county = RegionFactory(code="440605", name="南海区", level=Region.Level.COUNTY, parent=city)
    other_city = CityFactory(code="440100", name="广州市", parent=province)
    return {"province": province, "city": city, "county": county, "other_city": other_city}


def listed(response):
    return [row.version.pk for row in response.context["rows"]]


def test_only_editorial_reviewers_may_open_the_queue(client, regions):
    client.force_login(member(Role.DEPARTMENT_STAFF, DepartmentFactory()))
    assert client.get(QUEUE).status_code == 403
    client.force_login(UserFactory())
    assert client.get(QUEUE).status_code == 403
    client.logout()
    assert client.get(QUEUE).status_code == 302


def test_a_reviewer_sees_the_regions_reviewed_and_the_regions_below_them(client, regions):
    in_city = submitted_version(DepartmentFactory(region=regions["city"]))
    in_county = submitted_version(DepartmentFactory(region=regions["county"]))
    elsewhere = submitted_version(DepartmentFactory(region=regions["other_city"]))
    provincial = submitted_version(DepartmentFactory(region=regions["province"]))
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[regions["city"]]))
    shown = listed(client.get(QUEUE))
    assert set(shown) == {in_city.pk, in_county.pk}
    assert elsewhere.pk not in shown and provincial.pk not in shown


def test_a_provincial_reviewer_sees_every_level_below(client, regions):
    versions = [
        submitted_version(DepartmentFactory(region=regions[name]))
        for name in ("province", "city", "county", "other_city")
    ]
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[regions["province"]]))
    assert set(listed(client.get(QUEUE))) == {v.pk for v in versions}


def test_a_reviewer_without_regions_sees_nothing(client, regions):
    submitted_version(DepartmentFactory(region=regions["city"]))
    client.force_login(member(Role.EDITORIAL_REVIEWER))
    response = client.get(QUEUE)
    assert response.status_code == 200
    assert listed(response) == []


@pytest.mark.parametrize("state", ["returned", "filed", "confirmed", "published"])
def test_only_submitted_and_in_review_versions_are_queued(client, regions, state):
    department = DepartmentFactory(region=regions["city"])
    waiting = submitted_version(department, state="in_review")
    submitted_version(department, state=state)
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[regions["city"]]))
    assert listed(client.get(QUEUE)) == [waiting.pk]


def test_the_oldest_submission_comes_first(client, regions):
    department = DepartmentFactory(region=regions["city"])
    newest = submitted_version(department, days_ago=1)
    oldest = submitted_version(department, days_ago=9)
    middle = submitted_version(department, days_ago=4, state="in_review")
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[regions["city"]]))
    assert listed(client.get(QUEUE)) == [oldest.pk, middle.pk, newest.pk]


def test_filters_by_department_level_item_type_and_waiting_days(client, regions):
    city_department = DepartmentFactory(region=regions["city"])
    county_department = DepartmentFactory(region=regions["county"])
    licence = submitted_version(city_department, days_ago=10)
    other_type = submitted_version(
        city_department, days_ago=2, item=ApprovalItemFactory(item_type="07")
    )
    in_county = submitted_version(county_department, days_ago=5)
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[regions["city"]]))

    assert listed(client.get(QUEUE, {"department": county_department.pk})) == [in_county.pk]
    assert listed(client.get(QUEUE, {"level": "city"})) == [licence.pk, other_type.pk]
    assert listed(client.get(QUEUE, {"level": "county"})) == [in_county.pk]
    assert listed(client.get(QUEUE, {"item_type": "07"})) == [other_type.pk]
    assert listed(client.get(QUEUE, {"min_days": 5})) == [licence.pk, in_county.pk]
    assert listed(client.get(QUEUE, {"min_days": 5, "level": "city"})) == [licence.pk]


def test_invalid_filters_are_shown_and_left_out(client, regions):
    version = submitted_version(DepartmentFactory(region=regions["city"]))
    outside = DepartmentFactory(region=regions["other_city"])
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[regions["city"]]))
    response = client.get(QUEUE, {"min_days": "soon", "department": outside.pk, "level": "moon"})
    assert response.status_code == 200
    assert listed(response) == [version.pk]
    assert set(response.context["form"].errors) == {"min_days", "department", "level"}


def test_a_row_shows_item_department_region_version_state_round_and_reviewer(client, regions):
    reviewer = member(Role.EDITORIAL_REVIEWER, regions=[regions["city"]])
    reviewer.first_name = "审查员甲"
    reviewer.save()
    department = DepartmentFactory(region=regions["county"], name="南海区市场监督管理局")
    version = submitted_version(department, state="in_review", days_ago=3, reviewer=reviewer)
    client.force_login(reviewer)
    page = client.get(QUEUE).text
    assert version.standard.item.name in page
    assert "南海区市场监督管理局" in page
    assert "南海区" in page
    assert f"v{version.number}" in page
    assert "审查员甲" in page
    assert reverse("standards:review", args=[version.pk]) in page
    with translation.override("zh-hans"):
        waiting = timesince(version.rounds.get().submitted_at)
    assert waiting.startswith("3") and waiting in page


def _fill_queue(department, count):
    for days in range(count):
        reviewer = member(Role.EDITORIAL_REVIEWER) if days % 2 else None
        submitted_version(department, days_ago=days, reviewer=reviewer, state="in_review")


def test_the_query_count_does_not_grow_with_the_rows(client, regions, django_assert_num_queries):
    department = DepartmentFactory(region=regions["city"])
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[regions["city"]]))
    _fill_queue(department, 3)
    with CaptureQueriesContext(connection) as few:
        assert len(listed(client.get(QUEUE))) == 3
    _fill_queue(department, 3)
    with django_assert_num_queries(len(few.captured_queries)):
        assert len(listed(client.get(QUEUE))) == 6


@pytest.mark.parametrize("reviewed", ["province", "city", "county", "other_city"])
def test_the_queue_scope_agrees_with_the_workflow_scope(client, regions, reviewed):
    versions = [
        submitted_version(DepartmentFactory(region=regions[name]))
        for name in ("province", "city", "county", "other_city")
    ]
    reviewer = member(Role.EDITORIAL_REVIEWER, regions=[regions[reviewed]])
    client.force_login(reviewer)
    expected = {v.pk for v in versions if workflow.in_scope(reviewer, v, "review")}
    assert set(listed(client.get(QUEUE))) == expected
