"""Reference data and sample standards load completely, validly and idempotently."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from standards.completeness import missing_fields
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_samples
from standards.models import (
    ApprovalItem,
    CodeListEntry,
    Department,
    Region,
    Standard,
    StandardVersion,
)
from standards.registry import REGISTRY, Stage
from standards.snapshot import snapshot
from standards.snapshot_schema import schema_errors

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
ELEMENT_GROUPS = [
    "acceptance_scope", "legal_basis", "implementing_agency", "condition", "material",
    "time_limit", "result", "fee", "quantity_limit", "intermediary", "post", "service",
    "document",
]  # fmt: skip
GENERAL_PROCESS_GROUPS = [
    "appointment", "application", "acceptance", "review", "decision", "delivery",
    "disclosure", "supervision",
]  # fmt: skip


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """Load everything once for this module, inside a transaction rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        reports = {
            "reference": load_reference_data(FIXTURES),
            "samples": load_samples(FIXTURES / "samples"),
        }
        yield reports
        transaction.set_rollback(True)


@pytest.fixture
def db_loaded(loaded, db):
    return loaded


def test_catalogue_has_the_regions_departments_and_items_asked_for(db_loaded):
    assert {"440000", "440600", "440605"} <= set(Region.objects.values_list("code", flat=True))
    assert Region.objects.get(code="440605").parent.code == "440600"
    provincial = Department.objects.filter(region__code="440000", kind=Department.Kind.DEPARTMENT)
    assert provincial.count() >= 45
    assert ApprovalItem.objects.main_items().count() >= 100
    assert ApprovalItem.objects.filter(parent__isnull=False).exists()
    assert set(ApprovalItem.objects.values_list("levels", flat=True)) >= {
        "province", "province_city", "province_county", "province_city_county",
    }  # fmt: skip


def test_basic_codes_follow_the_documented_scheme(db_loaded):
    for item in ApprovalItem.objects.select_related("department", "parent"):
        assert item.basic_code.startswith(item.item_type + item.department.number), item
        if item.parent:
            assert item.basic_code[:9] == item.parent.basic_code[:9], item


def test_every_code_list_is_loaded_and_complete(db_loaded):
    for name, codelist in REGISTRY.codelists.items():
        stored = list(
            CodeListEntry.objects.filter(codelist=name)
            .order_by("position")
            .values_list("code", "label_zh", "label_en")
        )
        assert stored == [(c.code, c.label_zh, c.label_en) for c in codelist], name


def test_there_are_at_least_five_sample_standards(db_loaded):
    assert Standard.objects.count() >= 5
    levels = set(Standard.objects.values_list("region__level", flat=True))
    assert levels == {"province", "city", "county"}


def test_every_sample_snapshot_validates_and_fills_every_filing_field(db_loaded):
    for version in StandardVersion.objects.all():
        data = snapshot(version)
        assert schema_errors(data) == [], version
        assert missing_fields(data, Stage.FILING) == [], version
        assert missing_fields(data, Stage.PUBLISH) == [], version


def test_every_sample_covers_the_elements_processes_and_benchmarks(db_loaded):
    for version in StandardVersion.objects.all():
        content = snapshot(version)["content"]
        for group in ELEMENT_GROUPS + GENERAL_PROCESS_GROUPS:
            records = content[group] if REGISTRY.group(group).repeats else [content[group]]
            assert any(v not in (None, [], "") for r in records for v in r.values()), (
                version, group,
            )  # fmt: skip
        bases = content["legal_basis"]
        assert any(b["E02.01"] == "1" and b["E02.08"] and b["E02.09"] for b in bases), version
        linked = {link["PL.01"] for link in content["link_benchmark"]}
        assert {"P03", "P04", "P05"} <= linked, version
        applicable = [p for p in content["other_process"] if p["PX.02"]]
        assert len(applicable) >= 2, version
        assert {p["PX.01"] for p in applicable} <= linked, version


def test_loading_everything_again_changes_nothing(db_loaded):
    history_before = {
        group.model.__name__: group.model.history.count() for group in REGISTRY.groups.values()
    }
    assert load_reference_data(FIXTURES).changed == 0
    assert load_samples(FIXTURES / "samples").changed == 0
    history_after = {
        group.model.__name__: group.model.history.count() for group in REGISTRY.groups.values()
    }
    assert history_after == history_before


def test_loading_recorded_history_for_content(db_loaded):
    assert REGISTRY.group("material").model.history.count() > 0


def test_the_demo_workflow_publishes_four_samples_and_submits_another_once(db_loaded):
    from standards.loading.demo_users import create_demo_users
    from standards.loading.demo_workflow import PUBLISHED, run_demo_workflow
    from standards.models import PublishedSnapshot

    create_demo_users("demo-2026")
    assert len(run_demo_workflow()) == len(PUBLISHED) + 1
    assert run_demo_workflow() == []
    published = StandardVersion.objects.filter(state=StandardVersion.State.PUBLISHED)
    assert sorted(published.values_list("standard__item__basic_code", flat=True)) == sorted(
        item for item, *_people in PUBLISHED
    )
    assert all(PublishedSnapshot.objects.get(version=version).verify() for version in published)
    assert StandardVersion.objects.filter(state=StandardVersion.State.SUBMITTED).count() == 1
