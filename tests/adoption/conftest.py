"""A small world: a province, a city under it, a county under the city, a department in each."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from adoption.models import Template
from standards.models import ApprovalItem, PublishedSnapshot, Region, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.snapshot import snapshot
from tests.content import fill_version
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    StandardFactory,
    UserFactory,
    VersionFactory,
)


def person(role: Any, department: Any, name: str) -> Any:
    user: Any = UserFactory(username=name, department=department)
    user.groups.set([ensure_role_groups()[role]])
    return user


def publish(version: StandardVersion, user: Any) -> PublishedSnapshot:
    """Test data: a version as the workflow leaves it (the workflow is tested in tests/standards).

    Earlier published versions of the standard are superseded, as publishing does.
    """
    StandardVersion.objects.filter(
        standard_id=version.standard_id, state=StandardVersion.State.PUBLISHED
    ).update(state=StandardVersion.State.SUPERSEDED)
    StandardVersion.objects.filter(pk=version.pk).update(
        state=StandardVersion.State.PUBLISHED, effective_from=timezone.localdate()
    )
    version.refresh_from_db()
    data = snapshot(version)
    return PublishedSnapshot.objects.create(
        version=version, schema_version=data["schema_version"], data=data, published_by=user
    )


@pytest.fixture
def world(db: Any) -> dict[str, Any]:
    province = Region.objects.create(code="440000", name="广东省", level="province")
    city = Region.objects.create(code="440600", name="佛山市", level="city", parent=province)
    county = Region.objects.create(code="440605", name="南海区", level="county", parent=city)
    other_city = Region.objects.create(code="440100", name="广州市", level="city", parent=province)
    departments = {
        "province": DepartmentFactory(name="广东省市场监督管理局", region=province),
        "city": DepartmentFactory(name="佛山市市场监督管理局", region=city, number=""),
        "county": DepartmentFactory(name="佛山市南海区市场监督管理局", region=county, number=""),
        "other": DepartmentFactory(name="广州市市场监督管理局", region=other_city, number=""),
    }
    people = {
        "province": person(Role.DEPARTMENT_STAFF, departments["province"], "p_staff"),
        "city": person(Role.DEPARTMENT_STAFF, departments["city"], "c_staff"),
        "county": person(Role.DEPARTMENT_STAFF, departments["county"], "n_staff"),
        "other": person(Role.DEPARTMENT_STAFF, departments["other"], "g_staff"),
        "reviewer": person(Role.EDITORIAL_REVIEWER, None, "reviewer"),
    }
    return {"departments": departments, "people": people}


def template_standard(
    world: dict[str, Any],
    *,
    levels: str = ApprovalItem.Levels.PROVINCE_CITY_COUNTY,
    name: str = "食品经营许可",
) -> Template:
    """A provincial standard, every field filled, two rows per group, published and a template."""
    department = world["departments"]["province"]
    item = ApprovalItemFactory(name=name, levels=levels, department=department)
    standard: Any = StandardFactory(item=item, department=department, region=department.region)
    version: Any = VersionFactory(standard=standard, number=1)
    fill_version(version, rows_per_group=2)
    publish(version, world["people"]["province"])
    return Template.objects.create(
        standard=standard, levels=levels, created_by=world["people"]["province"]
    )


@pytest.fixture
def template(world: dict[str, Any]) -> Template:
    return template_standard(world)
