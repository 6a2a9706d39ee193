"""The field registry: 315 fields, their code lists, and the models that hold them."""

import csv
from collections import Counter
from pathlib import Path

import pytest
from django.db import models

from standards.models import BOOKKEEPING_FIELDS, ContentModel
from standards.models.fields import CodeField, MultiCodeField, model_name_for_group
from standards.registry import REGISTRY, FieldType, Stage
from standards.registry.conditions import ConditionSyntaxError, parse
from standards.registry.models_map import content_models

# Section sizes as published in the domain catalogue (shared/domain/README.md).
SECTION_SIZES = {
    "B00": 28, "E01": 7, "E02": 10, "E03": 16, "E04": 9, "E05": 28, "E06": 18, "E07": 15,
    "E08": 12, "E09": 7, "E10": 12, "E11": 9, "E12": 21, "E13": 9, "P01": 8, "P02": 9,
    "P03": 12, "P04": 12, "P05": 10, "P06": 8, "P07": 7, "P08": 10, "PX": 19, "PL": 19,
}  # fmt: skip

COMPATIBLE = {
    FieldType.TEXT: (models.CharField,),
    FieldType.LONGTEXT: (models.TextField,),
    FieldType.CHOICE: (CodeField,),
    FieldType.MULTICHOICE: (MultiCodeField,),
    FieldType.BOOLEAN: (models.BooleanField,),
    FieldType.INTEGER: (models.PositiveIntegerField,),
    FieldType.DURATION: (models.PositiveIntegerField,),
    FieldType.DATE: (models.DateField,),
    FieldType.URL: (models.URLField,),
    FieldType.EMAIL: (models.EmailField,),
    FieldType.PHONE: (models.CharField,),
    FieldType.FILE: (models.FileField,),
    FieldType.REF: (models.ManyToManyField,),
}


def test_registry_has_exactly_315_fields_with_unique_codes():
    codes = [f.code for f in REGISTRY]
    assert len(codes) == 315
    assert len(set(codes)) == 315


def test_sections_have_the_catalogued_number_of_fields():
    assert Counter(f.section for f in REGISTRY) == SECTION_SIZES
    assert [s.code for s in REGISTRY.sections] == list(SECTION_SIZES)


def test_registry_is_a_faithful_copy_of_the_shared_catalogue_plus_project_columns():
    shared = Path(__file__).resolve().parents[3] / "shared" / "domain" / "fields.csv"
    if not shared.exists():
        pytest.skip("the shared catalogue is not beside this checkout")
    with shared.open(encoding="utf-8") as handle:
        upstream = {row["code"]: row for row in csv.DictReader(handle)}
    for field in REGISTRY:
        row = upstream[field.code]
        assert (row["group"], row["name"], row["type"], row["codelist"]) == (
            field.group, field.name, field.type.value, field.codelist,
        )  # fmt: skip
        assert (row["required"], row["audience"]) == (field.required.value, field.audience.value)


def test_every_registry_field_maps_to_a_model_field_of_a_compatible_type():
    for field in REGISTRY:
        model = REGISTRY.group(field.group).model
        model_field = model._meta.get_field(field.attribute)
        assert isinstance(model_field, COMPATIBLE[field.type]), field
        if field.type is FieldType.TEXT:
            assert model_field.max_length == 200, field
        if field.type in (FieldType.CHOICE, FieldType.MULTICHOICE):
            assert model_field.codelist == field.codelist, field
        if field.type is FieldType.REF:
            target = REGISTRY.group(field.ref_group).model
            assert model_field.related_model is target, field


def test_every_content_model_field_is_in_the_registry():
    registered = {(f.group, f.attribute) for f in REGISTRY}
    for group, model in content_models().items():
        for model_field in model._meta.get_fields():
            if model_field.auto_created or model_field.name in BOOKKEEPING_FIELDS:
                continue
            if model_field.name == "history" or (
                not model_field.concrete and not model_field.many_to_many
            ):
                continue
            assert (group, model_field.name) in registered, f"{model.__name__}.{model_field.name}"


def test_every_group_has_exactly_one_model_named_after_it():
    models_by_group = content_models()
    assert set(models_by_group) == set(REGISTRY.groups)
    for group, model in models_by_group.items():
        assert model.__name__ == model_name_for_group(group)
        assert issubclass(model, ContentModel)


def test_every_content_model_keeps_history_including_references():
    for group, model in content_models().items():
        assert hasattr(model, "history"), model
        refs = {f.name for f in REGISTRY.group(group).fields if f.type is FieldType.REF}
        assert set(model._history_m2m_fields) == refs, model


def test_every_code_list_the_catalogue_names_exists():
    named = {f.codelist for f in REGISTRY if f.codelist}
    assert named <= set(REGISTRY.codelists)
    assert len(REGISTRY.codelists) == 39


def test_reference_fields_name_an_existing_repeating_group():
    for field in REGISTRY:
        if field.type is FieldType.REF:
            assert REGISTRY.group(field.ref_group).repeats, field


def test_stage_ordering_filing_fields_are_required_at_publication_too():
    filing = REGISTRY["B00.01"]
    publish = REGISTRY["B00.10"]
    optional = REGISTRY["B00.03"]
    assert filing.required_at(Stage.FILING) and filing.required_at(Stage.PUBLISH)
    assert not publish.required_at(Stage.FILING) and publish.required_at(Stage.PUBLISH)
    assert not optional.required_at(Stage.PUBLISH)


def test_conditional_requirements_are_parsed_for_every_required_when_note():
    conditional = [f for f in REGISTRY if f.required_when]
    assert len(conditional) > 80
    for field in conditional:
        assert field.required_when.codes or field.required_when.rule, field


@pytest.mark.parametrize(
    ("source", "values", "expected"),
    [
        ("B00.06 = 7", {"B00.06": "7"}, True),
        ("B00.06 = 7", {"B00.06": "2"}, False),
        ("B00.06 = 7", {"B00.06": None}, False),
        ("E05.05 != 10", {"E05.05": "20"}, True),
        ("E05.05 != 10", {"E05.05": None}, False),
        ("E05.05 in (20, 30)", {"E05.05": "30"}, True),
        ("B00.15 has 2 or B00.16 >= 2", {"B00.15": ["1"], "B00.16": "3"}, True),
        ("B00.15 has 2 or B00.16 >= 2", {"B00.15": ["1"], "B00.16": "1"}, False),
        ("B00.21 = yes and P01.01 has_any (2, 3)", {"B00.21": True, "P01.01": ["3"]}, True),
        ("B00.21 = yes and P01.01 has_any (2, 3)", {"B00.21": False, "P01.01": ["3"]}, False),
        ("B00.19 > 0", {"B00.19": 0}, False),
        ("E03.10 filled", {"E03.10": "省卫生健康委"}, True),
        ("PX.08 empty", {"PX.08": None}, True),
    ],
)
def test_conditions_evaluate_as_written(source, values, expected):
    assert parse(source).holds(lambda code, every_row: [values[code]]) is expected


def test_rule_conditions_are_never_required_by_completeness_alone():
    assert parse("rule 18").holds(lambda code, every_row: []) is False


@pytest.mark.parametrize("source", ["B00.06 ==", "X.01 = 1", "B00.06 in (1, 2", "B00.19 > many"])
def test_unreadable_conditions_are_refused(source):
    with pytest.raises(ConditionSyntaxError):
        parse(source)
