"""The readable diff: labels from the registry, values as readers see them, rows by name."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.utils import translation

from standards.changes import compare_versions, readable_diff, version_contents
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import Material, PublishedSnapshot, StandardVersion, TimeLimit
from standards.services.drafting import new_draft_from
from standards.snapshot import snapshot
from tests.factories import UserFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(autouse=True)
def chinese():
    with translation.override("zh-hans"):
        yield


def lines(sections):
    """Every change as "section/group: name: label: before → after" strings."""
    found = []
    for section in sections:
        for group in section.groups:
            for field in group.fields:
                found.append(f"{group.label}: {field.label}: {field.before} → {field.after}")
            for row in group.rows:
                found.append(f"{group.label}: {row.kind}: {row.name}")
                for field in row.fields:
                    found.append(
                        f"{group.label}: {row.name}: {field.label}: {field.before} → {field.after}"
                    )
    return found


def test_fields_read_with_labels_code_labels_yes_no_and_units():
    before = {
        "time_limit": {"E06.05": 20, "E06.06": "1", "E06.08": False},
        "basic_info": {"B00.12": "1", "B00.15": ["1"]},
    }
    after = {
        "time_limit": {"E06.05": 20, "E06.06": "2", "E06.08": True},
        "basic_info": {"B00.12": "2", "B00.15": ["1", "2"]},
    }
    found = lines(readable_diff(before, after))
    assert found == [
        "基本信息: 办件类型: 即办件 → 承诺件",
        "基本信息: 办理形式: 窗口办理 → 窗口办理、电脑端网上办理",
        "审批时限: 承诺办结时限: 20 个工作日 → 20 个自然日",
        "审批时限: 是否可延长: 否 → 是",
    ]


def test_rows_are_named_by_their_first_text_and_references_by_the_rows_they_name():
    basis = [
        {"row_id": "b1", "E02.02": "《食品安全法》"},
        {"row_id": "b2", "E02.02": "《食品经营许可和备案管理办法》"},
    ]
    before = {
        "legal_basis": basis,
        "material": [
            {"row_id": "m1", "E05.01": "营业执照", "E05.18": ["b1"]},
            {"row_id": "m2", "E05.01": "身份证明"},
            {"row_id": "m3", "E05.01": "场所证明"},
        ],
    }
    after = {
        "legal_basis": basis,
        "material": [
            {"row_id": "m3", "E05.01": "场所证明"},
            {"row_id": "m1", "E05.01": "营业执照", "E05.18": ["b1", "b2"]},
            {"row_id": "m4", "E05.01": "健康证明", "E05.13": True},
        ],
    }
    found = lines(readable_diff(before, after))
    assert found == [
        "申请材料: moved: 场所证明",
        "申请材料: changed: 营业执照",
        "申请材料: 营业执照: 要求提供材料的依据: 《食品安全法》"
        " → 《食品安全法》、《食品经营许可和备案管理办法》",
        "申请材料: added: 健康证明",
        "申请材料: 健康证明: 材料名称: （空） → 健康证明",
        "申请材料: 健康证明: 是否需要电子材料: （空） → 是",
        "申请材料: removed: 身份证明",
    ]
    sections = readable_diff(before, after)
    rows = sections[0].groups[0].rows
    assert rows[0].moved == (2, 1)
    assert rows[1].moved == (1, 2)


def test_reordering_referenced_rows_does_not_show_the_references_as_changed():
    before = {
        "legal_basis": [{"row_id": "b1", "E02.02": "甲"}, {"row_id": "b2", "E02.02": "乙"}],
        "time_limit": {"E06.04": ["b1", "b2"]},
    }
    after = {
        "legal_basis": [{"row_id": "b2", "E02.02": "乙"}, {"row_id": "b1", "E02.02": "甲"}],
        "time_limit": {"E06.04": ["b2", "b1"]},
    }
    assert [line.split(": ")[1] for line in lines(readable_diff(before, after))] == [
        "moved",
        "moved",
    ]


def test_long_names_are_shortened_and_unnamed_rows_numbered():
    long_text = "经营场所" * 20
    before = {"faq": []}
    after = {"faq": [{"row_id": "q1", "E12.20": long_text}, {"row_id": "q2", "E12.20": None}]}
    names = [row.name for row in readable_diff(before, after)[0].groups[0].rows]
    assert names[0] == long_text[:40] + "…"
    assert names[1] in ("row 2", "第 2 行")


def test_english_labels_when_the_interface_is_english():
    before = {"time_limit": {"E06.05": 1, "E06.06": "1"}}
    after = {"time_limit": {"E06.05": 3, "E06.06": "4"}}
    with translation.override("en"):
        found = lines(readable_diff(before, after))
    assert found == ["time limit: Promised time limit: 1 working day → 3 months"]


@pytest.fixture(scope="module")
def two_published(django_db_setup, django_db_blocker, tmp_path_factory):
    """The 食品经营许可 sample as v1 and an edited copy as v2, both published."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        user = UserFactory(username="publisher")
        first = StandardVersion.objects.get()
        _publish(first, user)
        second = new_draft_from(version=first, user=user)
        TimeLimit.objects.filter(version=second).update(promised_limit=3)
        Material.objects.filter(version=second).last().delete()
        _publish(second, user)
        yield first, second
        transaction.set_rollback(True)


def _publish(version, user):
    """Test setup only: the state is moved by the workflow services in real use."""
    StandardVersion.objects.filter(pk=version.pk).update(state="published")
    PublishedSnapshot.objects.create(
        version=version, schema_version=1, data=snapshot(version), published_by=user
    )
    version.refresh_from_db()


def test_two_published_sample_versions_are_compared_in_at_most_3_queries(
    two_published, db, django_assert_max_num_queries
):
    first, second = two_published
    with django_assert_max_num_queries(3):
        comparison = compare_versions(first, second)
    found = lines(comparison.sections)
    assert "审批时限: 承诺办结时限: 5 个工作日 → 3 个工作日" in found
    assert sum(": removed: " in line for line in found) == 1
    assert comparison.note == "申请材料减少 1 项；承诺办结时限由 5 个工作日缩短为 3 个工作日"


def test_published_versions_are_read_from_their_stored_snapshot(two_published, db):
    first, _second = two_published
    stored = PublishedSnapshot.objects.get(version=first).data["content"]
    assert version_contents([first])[first.pk] == stored
    # the stored snapshot is what counts, even where the rows were changed since
    TimeLimit.objects.filter(version=first).update(promised_limit=99)
    assert version_contents([first])[first.pk] == stored


def test_a_version_compared_with_itself_has_no_changes(two_published, db):
    first, _second = two_published
    comparison = compare_versions(first, first)
    assert comparison.sections == []
    assert comparison.note == ""
