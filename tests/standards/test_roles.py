"""Role groups and demo users."""

import pytest
from django.contrib.auth.models import Group

from standards.loading.demo_users import DEMO_USERS, create_demo_users
from standards.models import Department, Region, User
from standards.roles import Role, ensure_role_groups
from tests.factories import DepartmentFactory, RegionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def organisation():
    province = RegionFactory()
    foshan = Region.objects.create(code="440600", name="佛山市", level="city", parent=province)
    nanhai = Region.objects.create(code="440605", name="南海区", level="county", parent=foshan)
    for demo in DEMO_USERS:
        if demo.department and not Department.objects.filter(code=demo.department).exists():
            region = {"440600": foshan, "440605": nanhai}.get(demo.department[:6], province)
            DepartmentFactory(code=demo.department, region=region, number="")


def test_every_role_is_a_group_and_setting_them_up_twice_changes_nothing():
    first = ensure_role_groups()
    permissions = {role: set(group.permissions.all()) for role, group in first.items()}
    second = ensure_role_groups()
    assert set(Group.objects.values_list("name", flat=True)) == set(Role.values)
    assert {role: set(group.permissions.all()) for role, group in second.items()} == permissions


def test_reviewers_may_only_view_content_and_staff_may_change_it():
    groups = ensure_role_groups()
    reviewer = set(groups[Role.EDITORIAL_REVIEWER].permissions.values_list("codename", flat=True))
    staff = set(groups[Role.DEPARTMENT_STAFF].permissions.values_list("codename", flat=True))
    assert "view_material" in reviewer and "change_material" not in reviewer
    assert {"view_material", "change_material", "add_legalbasis"} <= staff
    assert "change_user" not in staff


def test_demo_users_get_their_role_department_and_review_scope(organisation):
    created = create_demo_users("demo-2026")
    assert set(created) == {u.username for u in DEMO_USERS}
    staff = User.objects.get(username="nanhai_staff")
    assert staff.department.code == "440605-scjgj"
    assert list(staff.groups.values_list("name", flat=True)) == [Role.DEPARTMENT_STAFF]
    assert staff.check_password("demo-2026")
    reviewer = User.objects.get(username="reviewer")
    assert list(reviewer.reviewed_regions.values_list("code", flat=True)) == ["440000"]
    assert User.objects.get(username="admin").is_superuser
    assert create_demo_users("other-password") == []
    assert User.objects.get(username="nanhai_staff").check_password("demo-2026")
