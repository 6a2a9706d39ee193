"""snapshot(version): plain data keyed by field code, validated by the schema."""

import copy
import json

import pytest

from standards.completeness import completeness, missing_fields
from standards.registry import REGISTRY, Stage
from standards.snapshot import SCHEMA_VERSION, snapshot
from standards.snapshot_schema import schema_errors, snapshot_schema
from tests.content import fill_version
from tests.factories import VersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_snapshot_of_an_empty_version_has_every_group_and_field(media_root):
    data = snapshot(VersionFactory())
    assert data["schema_version"] == SCHEMA_VERSION
    assert list(data["content"]) == list(REGISTRY.groups)
    for name, group in REGISTRY.groups.items():
        if group.repeats:
            assert data["content"][name] == []
        else:
            assert list(data["content"][name]) == [f.code for f in group.fields]
    assert schema_errors(data) == []


def test_snapshot_of_a_full_version_validates_and_holds_every_field(media_root):
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    data = snapshot(version)
    assert schema_errors(data) == []
    filled = 0
    for name, group in REGISTRY.groups.items():
        records = data["content"][name] if group.repeats else [data["content"][name]]
        for record in records:
            for field in group.fields:
                assert record[field.code] not in (None, "", []), field
                filled += 1
    assert filled == sum(2 if g.repeats else 1 for g in REGISTRY.groups.values() for _ in g.fields)


def test_references_follow_the_target_rows_order(media_root):
    version = VersionFactory()
    created = fill_version(version, rows_per_group=3)
    first, second, third = created["legal_basis"]
    for row, position in ((first, 2), (second, 0), (third, 1)):
        row.position = position
        row.save()
    data = snapshot(version)
    expected = [str(second.uid), str(third.uid), str(first.uid)]
    assert [row["row_id"] for row in data["content"]["legal_basis"]] == expected
    assert data["content"]["condition"][0]["E04.03"] == expected


def test_references_name_row_ids_of_the_target_group(media_root):
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    data = snapshot(version)
    legal_ids = [row["row_id"] for row in data["content"]["legal_basis"]]
    condition = data["content"]["condition"][0]
    assert condition["E04.03"] == legal_ids
    assert data["content"]["acceptance_scope"]["E01.07"] == legal_ids


def test_snapshot_is_stable_and_json_serialisable(media_root):
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    first = json.dumps(snapshot(version), ensure_ascii=False)
    second = json.dumps(snapshot(version), ensure_ascii=False)
    assert first == second


def test_multichoice_values_come_in_code_list_order(media_root):
    version = VersionFactory()
    fill_version(version)
    field = REGISTRY["B00.09"]
    assert (
        snapshot(version)["content"]["basic_info"]["B00.09"]
        == REGISTRY.codelist(field.codelist).values[:2]
    )


def test_snapshot_query_count_does_not_grow_with_rows(media_root, django_assert_num_queries):
    small, large = VersionFactory(), VersionFactory()
    fill_version(small, rows_per_group=1)
    fill_version(large, rows_per_group=5)
    repeating = sum(1 for g in REGISTRY.groups.values() if g.repeats)
    queries_per_snapshot = 1 + repeating + 1  # version with its sections, rows, references
    with django_assert_num_queries(queries_per_snapshot):
        snapshot(small)
    with django_assert_num_queries(queries_per_snapshot):
        snapshot(large)


@pytest.mark.parametrize(
    ("path", "bad_value"),
    [
        (("content", "basic_info", "B00.04"), "99"),
        (("content", "basic_info", "B00.09"), ["1", "1"]),
        (("content", "basic_info", "B00.19"), -1),
        (("content", "basic_info", "B00.01"), "码" * 201),
        (("content", "service", "E12.02"), "83133333"),
        (("standard", "item", "basic_code"), "12"),
        (("schema_version",), 99),
    ],
)
def test_schema_rejects_wrong_values(media_root, path, bad_value):
    version = VersionFactory()
    fill_version(version)
    data = copy.deepcopy(snapshot(version))
    target = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = bad_value
    assert schema_errors(data)


def test_schema_rejects_unknown_keys():
    schema = snapshot_schema()
    assert schema["properties"]["content"]["additionalProperties"] is False
    data = snapshot(VersionFactory())
    data["content"]["basic_info"]["B00.99"] = "x"
    assert any("B00.99" in error for error in schema_errors(data))


def test_completeness_counts_missing_filing_fields_and_conditions(media_root):
    version = VersionFactory()
    data = snapshot(version)
    missing = {m.code for m in missing_fields(data, Stage.FILING)}
    assert "B00.01" in missing
    assert "B00.07" not in missing  # only when exercise level is 7 (分级管理)
    data["content"]["basic_info"]["B00.06"] = "7"
    assert "B00.07" in {m.code for m in missing_fields(data, Stage.FILING)}
    meters = completeness(data, Stage.FILING)
    assert meters["B00"][0] < meters["B00"][1]


def test_a_full_version_is_complete_at_filing(media_root):
    version = VersionFactory()
    fill_version(version)
    data = snapshot(version)
    assert missing_fields(data, Stage.FILING) == []
    assert all(filled == required for filled, required in completeness(data).values())
