"""With a real sample and the real workflow: amend a cited law, publish the fix, the flag closes."""

import datetime
from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings

from legal.loading import load_laws
from legal.models import LawChangeFlag, LawVersion
from legal.services.amendments import enter_new_version
from legal.services.citations import link_versions, live_versions
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import StandardVersion
from standards.models.elements import LegalBasis
from standards.roles import Role
from standards.services import workflow
from standards.services.drafting import new_draft_from
from tests.legal.builders import person

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
State = StandardVersion.State
AMENDED_ON = datetime.date(2026, 6, 30)


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker, tmp_path_factory):
    """南海区's 食品经营许可 and the seeded library, loaded once and rolled back at the end."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        load_laws(FIXTURES / "laws")
        yield StandardVersion.objects.select_related("standard__department").get()
        transaction.set_rollback(True)


def test_every_legal_basis_row_of_the_sample_is_tied_to_the_library(sample, db):
    report = link_versions(live_versions())
    assert report.unmatched == []
    assert report.linked == LegalBasis.objects.filter(version=sample).count()


def test_the_flag_of_a_real_standard_closes_when_its_fixed_version_is_published(sample, db):
    department = sample.standard.department
    staff = person(Role.DEPARTMENT_STAFF, department)
    leader = person(Role.DEPARTMENT_LEADER, department)
    reviewer = person(Role.EDITORIAL_REVIEWER)
    reviewer.reviewed_regions.set([sample.standard.region])
    link_versions(live_versions())

    food_law = LegalBasis.objects.filter(version=sample, law_name__contains="食品安全法》").first()
    assert food_law is not None
    law = LawVersion.objects.get(law__name="中华人民共和国食品安全法", status="in_force").law
    enter_new_version(
        law,
        document_number="中华人民共和国主席令第一百号",
        issuing_authority="全国人民代表大会常务委员会",
        promulgated_on=AMENDED_ON,
        effective_on=AMENDED_ON,
    )
    flag = LawChangeFlag.objects.get()
    assert flag.standard == sample.standard
    rows = {f["row_uid"] for f in flag.fields if f["group"] == "legal_basis"}
    cited = LegalBasis.objects.filter(version=sample, law_name="《中华人民共和国食品安全法》")
    assert rows == {str(uid) for uid in cited.values_list("uid", flat=True)}

    # Publish the sample as it is: it still cites the replaced version.
    for action, who in [
        ("submit", staff), ("start_review", reviewer), ("approve_filing", reviewer),
        ("confirm", leader), ("publish", leader),
    ]:  # fmt: skip
        getattr(workflow, action)(version=sample, user=who)
    flag.refresh_from_db()
    assert flag.state == LawChangeFlag.State.OPEN

    # The next version cites the amendment; publishing it closes the flag.
    draft = new_draft_from(version=sample, user=staff)
    draft.rows("legal_basis").filter(law_name="《中华人民共和国食品安全法》").update(
        revision_date=AMENDED_ON, effective_date=AMENDED_ON, document_number="主席令第一百号"
    )
    for action, who in [
        ("submit", staff), ("start_review", reviewer), ("approve_filing", reviewer),
        ("confirm", leader), ("publish", leader),
    ]:  # fmt: skip
        getattr(workflow, action)(version=draft, user=who)
    flag.refresh_from_db()
    assert flag.state == LawChangeFlag.State.RESOLVED
    assert flag.resolved_by_version == draft
