"""Round trips: export a published sample to Excel, import it as a new draft, same content.

"Same" is defined as: the draft's snapshot has exactly the published
snapshot's `schema_version` and `content` (every group, every field, every
row id and every reference), and the same item. Only the metadata of the
version differs: its number, state, effective dates and change note, and —
when the draft belongs to another department — the department and region.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from django.conf import settings

from interchange.audience import Audience
from interchange.importing import import_workbook
from interchange.workbook.reader import check_file, read_workbook
from interchange.workbook.writer import build_workbook
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import StandardVersion
from standards.roles import Role
from standards.services.drafting import new_draft_from
from standards.snapshot import snapshot
from tests.factories import DepartmentFactory

from .conftest import member, publish, upload

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SAMPLES = sorted(p.stem for p in (FIXTURES / "samples").glob("*.yaml"))

pytestmark = pytest.mark.django_db


def published_sample(name):
    load_reference_data(FIXTURES)
    load_sample(FIXTURES / "samples" / f"{name}.yaml")
    version = StandardVersion.objects.select_related("standard__item").get(state="draft")
    leader = member(Role.DEPARTMENT_LEADER, version.standard.department)
    return publish(version, leader), leader


def exported(published):
    return build_workbook(published.data, Audience.FULL)


def parse(data):
    return read_workbook(check_file(upload(data)))


def assert_same_content(draft, published, *, same_department):
    data = snapshot(draft)
    assert data["schema_version"] == published.data["schema_version"]
    assert data["standard"]["item"] == published.data["standard"]["item"]
    if same_department:
        assert data["standard"]["department"] == published.data["standard"]["department"]
    for group, value in published.data["content"].items():
        assert data["content"][group] == value, group
    assert data["content"] == published.data["content"]


def test_samples_are_found():
    assert len(SAMPLES) == 5


@pytest.mark.parametrize("sample", SAMPLES)
def test_a_sample_round_trips_into_a_fresh_departments_new_standard(sample):
    published, _leader = published_sample(sample)
    standard = published.version.standard
    department = DepartmentFactory(region=standard.region)
    staff = member(Role.DEPARTMENT_STAFF, department)
    outcome = import_workbook(
        user=staff, item=standard.item, parsed=parse(exported(published)), dry_run=False
    )
    assert outcome.action == "new_standard"
    draft = StandardVersion.objects.get(pk=outcome.version_pk)
    assert draft.standard.department == department and draft.state == "draft"
    assert_same_content(draft, published, same_department=False)
    # The JSON export of the published version is the stored snapshot (tested in
    # test_exports); here the published snapshot itself was left untouched.
    assert published.verify()


def test_a_changed_draft_is_brought_back_to_the_published_content():
    """The import updates the open draft: changed values, removed and added rows all revert."""
    published, leader = published_sample("food_business_licence")
    staff = member(Role.DEPARTMENT_STAFF, published.version.standard.department)
    workbook = exported(published)
    draft = new_draft_from(version=published.version, user=leader)
    draft.material_rows.first().delete()
    draft.condition_rows.update(condition_text="改过的条件")
    draft.basicinfo.__class__.objects.filter(version=draft).update(on_site_reason="改过")
    draft.faq_rows.create(question="新加的问题", answer="回答", position=99)
    assert snapshot(draft)["content"] != published.data["content"]
    outcome = import_workbook(
        user=staff, item=draft.standard.item, parsed=parse(workbook), dry_run=False
    )
    assert outcome.action == "update_draft" and outcome.version_pk == draft.pk
    draft.refresh_from_db()
    assert draft.number == published.version.number + 1
    assert_same_content(draft, published, same_department=True)


def test_without_an_open_draft_the_import_creates_the_next_version():
    published, _leader = published_sample("drug_retail_licence")
    staff = member(Role.DEPARTMENT_STAFF, published.version.standard.department)
    outcome = import_workbook(
        user=staff,
        item=published.version.standard.item,
        parsed=parse(exported(published)),
        dry_run=False,
    )
    assert outcome.action == "new_draft"
    draft = StandardVersion.objects.get(pk=outcome.version_pk)
    assert draft.number == published.version.number + 1
    assert_same_content(draft, published, same_department=True)
