"""Shared builders for the reliability tests: the sample standard and the people of the workflow."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import Region, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.services import workflow
from tests.factories import UserFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
FOOD = "food_business_licence.yaml"


def load_food_sample() -> StandardVersion:
    """The 食品经营许可 sample of 南海区, as a draft."""
    load_reference_data(FIXTURES)
    load_sample(FIXTURES / "samples" / FOOD)
    return StandardVersion.objects.select_related("standard__department").get()


def person(role, name, department=None, regions=()):
    user = UserFactory(username=name, department=department, email=f"{name}@example.gov.cn")
    user.groups.set([ensure_role_groups()[role]])
    user.reviewed_regions.set(Region.objects.filter(code__in=regions))
    return user


def workflow_people(version: StandardVersion) -> dict:
    department = version.standard.department
    return {
        "staff": person(Role.DEPARTMENT_STAFF, "rel_staff", department),
        "leader": person(Role.DEPARTMENT_LEADER, "rel_leader", department),
        # 佛山's reviewer oversees 南海区.
        "reviewer": person(Role.EDITORIAL_REVIEWER, "rel_reviewer", regions=["440600"]),
    }


def bring_to_confirmed(version: StandardVersion, people: dict) -> StandardVersion:
    workflow.submit(version=version, user=people["staff"])
    workflow.start_review(version=version, user=people["reviewer"])
    workflow.approve_filing(version=version, user=people["reviewer"])
    workflow.confirm(version=version, user=people["leader"])
    version.refresh_from_db()
    return version
