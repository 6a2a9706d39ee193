"""A sample standard entered from scratch through the forms gives the fixture's snapshot."""

from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.storage import default_storage
from django.db import transaction
from django.test import Client, override_settings

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import Standard, StandardVersion
from standards.registry import REGISTRY, FieldType
from standards.roles import Role, ensure_role_groups
from standards.services.drafting import start_standard
from standards.snapshot import snapshot
from tests.factories import ApprovalItemFactory, UserFactory
from tests.standards.test_editor import _enter

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(scope="module")
def reference(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        yield media
        transaction.set_rollback(True)


@pytest.mark.parametrize("sample", ["food_business_licence", "construction_permit"])
def test_a_sample_entered_through_the_forms_equals_the_fixture(reference, db, sample):
    with override_settings(MEDIA_ROOT=reference):
        load_sample(FIXTURES / "samples" / f"{sample}.yaml")
        original = StandardVersion.objects.get(standard=Standard.objects.get())
        expected = snapshot(original)["content"]
        files = {}
        for group in REGISTRY.groups.values():
            records = expected[group.name] if group.repeats else [expected[group.name]]
            for record in records:
                for f in group.fields:
                    if f.type is FieldType.FILE and record[f.code]:
                        with default_storage.open(record[f.code], "rb") as stored:
                            files[record[f.code]] = stored.read()
        staff = UserFactory(department=original.standard.department)
        staff.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
        item = ApprovalItemFactory(department=original.standard.department)
        blank = start_standard(item=item, user=staff)
        browser = Client()
        browser.force_login(staff)
        uid_map = _enter(browser, blank, expected, files=files)
        entered = snapshot(blank)["content"]
        for group in REGISTRY.groups.values():
            want = expected[group.name] if group.repeats else [expected[group.name]]
            got = entered[group.name] if group.repeats else [entered[group.name]]
            assert len(got) == len(want), group.name
            for got_row, want_row in zip(got, want, strict=True):
                for f in group.fields:
                    if f.type is FieldType.REF:
                        assert got_row[f.code] == [uid_map[r] for r in want_row[f.code]], f
                    elif f.type is FieldType.FILE:
                        if want_row[f.code]:
                            with default_storage.open(got_row[f.code], "rb") as stored:
                                assert stored.read() == files[want_row[f.code]], f
                        else:
                            assert got_row[f.code] is None, f
                    else:
                        assert got_row[f.code] == want_row[f.code], (f, got_row.get("row_id"))
