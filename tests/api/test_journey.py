"""A department's system files a real sample through the API; the public reads it after."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import StandardVersion
from standards.registry import REGISTRY, Audience
from standards.roles import Role
from standards.services import workflow
from tests.api.conftest import client_for, person

pytestmark = pytest.mark.django_db

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


def test_edit_submit_publish_and_read_the_food_business_licence():
    load_reference_data(FIXTURES)
    load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
    version = StandardVersion.objects.select_related("standard__department").get()
    department = version.standard.department
    staff = person(Role.DEPARTMENT_STAFF, department)
    leader = person(Role.DEPARTMENT_LEADER, department)
    reviewer = person(Role.EDITORIAL_REVIEWER, regions=("440600",))
    api = client_for(staff)

    assert [d["id"] for d in api.get(reverse("api:drafts")).json()["results"]] == [version.pk]
    section = reverse("api:draft-section", args=[version.pk, "E12"])
    etag = api.get(section)["ETag"]
    body = {"content": {"service": {"E12.12": "工作日 9:00-12:00，14:00-17:30"}}}
    assert api.patch(section, body, format="json", HTTP_IF_MATCH=etag).status_code == 200
    submitted = api.post(reverse("api:draft-submit", args=[version.pk]))
    assert submitted.status_code == 200, submitted.json()
    assert submitted.json()["state"] == "submitted"
    assert api.patch(section, body, format="json", HTTP_IF_MATCH="*").status_code == 403

    workflow.start_review(version=version, user=reviewer)
    workflow.approve_filing(version=version, user=reviewer)
    workflow.confirm(version=version, user=leader)
    workflow.publish(version=version, user=leader)

    standard = version.standard
    url = reverse("api:in-force", args=[standard.item.basic_code, department.code])
    public = client_for().get(url).json()
    assert public["version"] == 1 and public["state"] == "published"
    content = public["snapshot"]["content"]
    assert content["service"]["E12.12"] == "工作日 9:00-12:00，14:00-17:30"
    manual = {f.code for f in REGISTRY if f.audience is Audience.MANUAL}
    assert not any(manual & set(rows) for rows in _records(content))
    full = api.get(url).json()
    assert full["snapshot"] == version.published_snapshot.data

    body = {"item": standard.item.basic_code, "from_version": 1}
    draft = api.post(reverse("api:drafts"), body, format="json")
    assert draft.status_code == 201 and draft.json()["version"] == 2
    assert draft.json()["snapshot"]["content"]["service"]["E12.12"].startswith("工作日 9:00")


def _records(content):
    for value in content.values():
        yield from (value if isinstance(value, list) else [value])
