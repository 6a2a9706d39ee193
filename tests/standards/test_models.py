"""Invariants the database itself keeps."""

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from standards.models import Condition, Service, StandardVersion
from standards.models.fields import phone_validator
from tests.factories import ApprovalItemFactory, StandardFactory, VersionFactory

pytestmark = pytest.mark.django_db


def test_a_version_state_outside_the_workflow_is_refused_by_the_database():
    version = VersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardVersion.objects.filter(pk=version.pk).update(state="approved-by-hand")


def test_a_standard_has_at_most_one_open_version():
    version = VersionFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        VersionFactory(standard=version.standard, number=2)


def test_a_new_draft_may_follow_a_published_version():
    version = VersionFactory()
    StandardVersion.objects.filter(pk=version.pk).update(state=StandardVersion.State.PUBLISHED)
    assert VersionFactory(standard=version.standard, number=2).state == "draft"


def test_version_numbers_are_unique_per_standard():
    version = VersionFactory()
    StandardVersion.objects.filter(pk=version.pk).update(state=StandardVersion.State.SUPERSEDED)
    with pytest.raises(IntegrityError), transaction.atomic():
        VersionFactory(standard=version.standard, number=1)


def test_one_standard_per_item_department_and_region():
    standard = StandardFactory()
    with pytest.raises(IntegrityError), transaction.atomic():
        StandardFactory(item=standard.item)


def test_effective_range_must_be_ordered():
    import datetime

    with pytest.raises(IntegrityError), transaction.atomic():
        VersionFactory(
            effective_from=datetime.date(2026, 5, 1), effective_to=datetime.date(2026, 4, 1)
        )


def test_one_service_section_per_version():
    version = VersionFactory()
    Service.objects.create(version=version)
    with pytest.raises(IntegrityError), transaction.atomic():
        Service.objects.create(version=version)


def test_code_fields_refuse_codes_outside_their_list():
    condition = Condition(version=VersionFactory(), condition_kind="9", condition_text="x")
    with pytest.raises(ValidationError) as caught:
        condition.full_clean()
    assert "condition_kind" in caught.value.message_dict


def test_multichoice_fields_refuse_unknown_and_repeated_codes():
    condition = Condition(version=VersionFactory(), applies_to_processes=["P02", "P99"])
    with pytest.raises(ValidationError, match="P99"):
        condition.full_clean()
    condition.applies_to_processes = ["P02", "P02"]
    with pytest.raises(ValidationError) as caught:
        condition.full_clean()
    assert caught.value.error_dict["applies_to_processes"][0].code == "repeated_choice"


def test_item_basic_codes_have_twelve_digits():
    item = ApprovalItemFactory.build(
        basic_code="12345", department=ApprovalItemFactory().department
    )
    with pytest.raises(ValidationError) as caught:
        item.full_clean()
    assert "basic_code" in caught.value.message_dict


@pytest.mark.parametrize("number", ["0757-86339000", "020-83133333转123", "12345", "13800138000"])
def test_phone_numbers_with_area_code_or_hotlines_are_accepted(number):
    phone_validator(number)


@pytest.mark.parametrize("number", ["86339000", "0757 86339000", "tel:0757-1", "<b>0757</b>"])
def test_phone_numbers_without_area_code_are_refused(number):
    with pytest.raises(ValidationError):
        phone_validator(number)


def test_content_edits_are_kept_in_history_with_their_author():
    from tests.factories import UserFactory

    version = VersionFactory()
    author = UserFactory()
    service = Service(version=version, office_hours="工作日 9:00-12:00")
    service._history_user = author
    service.save()
    service.office_hours = "工作日 9:00-12:00，13:30-17:00"
    service._history_user = author
    service.save()
    records = list(service.history.order_by("history_date"))
    assert [r.office_hours for r in records] == [
        "工作日 9:00-12:00",
        "工作日 9:00-12:00，13:30-17:00",
    ]
    assert {r.history_user for r in records} == {author}


def test_reference_changes_are_kept_in_history():
    from standards.models import LegalBasis

    version = VersionFactory()
    basis = LegalBasis.objects.create(version=version, law_name="《中华人民共和国行政许可法》")
    condition = Condition.objects.create(version=version, condition_text="具有固定经营场所")
    condition.legal_basis.add(basis)
    latest = condition.history.latest()
    assert [row.legalbasis_id for row in latest.legal_basis.all()] == [basis.pk]
