"""The import pages: access per item, the dry-run report, confirmation, expired tokens."""

from __future__ import annotations

import pytest
from django.test import Client
from django.urls import resolve, reverse

from interchange import pending
from standards.models import StandardVersion
from standards.roles import Role
from tests.factories import DepartmentFactory

from .conftest import edited, member, upload, workbook_bytes
from .test_import_checks import database_state, set_cell

pytestmark = pytest.mark.django_db


def client_of(user):
    client = Client()
    client.force_login(user)
    return client


def import_url(item, name="interchange:import"):
    return reverse(name, args=[item.basic_code])


def test_the_import_address_resolves_to_this_app_under_the_workspace():
    assert resolve("/workspace/import/010010001000/").view_name == "interchange:import"
    assert (
        resolve("/workspace/import/010010001000/confirm/").view_name == "interchange:import_confirm"
    )
    assert (
        resolve("/exports/010010001000/440000-a/v1/standard.xlsx").view_name == "interchange:xlsx"
    )


def test_only_staff_of_a_department_implementing_the_item_may_import(published):
    snapshot, staff = published
    item = snapshot.version.standard.item
    assert Client().get(import_url(item)).status_code == 302
    stranger = member(Role.DEPARTMENT_STAFF, DepartmentFactory())
    assert client_of(stranger).get(import_url(item)).status_code == 404
    reviewer = member(Role.EDITORIAL_REVIEWER, staff.department)
    assert client_of(reviewer).get(import_url(item)).status_code == 404
    assert client_of(staff).get(import_url(item)).status_code == 200
    response = client_of(stranger).post(
        import_url(item, "interchange:import_confirm"), {"token": "x"}
    )
    assert response.status_code == 404


def test_dry_run_reports_problems_by_sheet_and_cell_and_writes_nothing(published):
    snapshot, staff = published
    item = snapshot.version.standard.item
    bad = edited(workbook_bytes(snapshot), set_cell("basic_info", "B00.26", "=1+1"))
    before = database_state()
    response = client_of(staff).post(import_url(item), {"workbook": upload(bad)})
    assert response.status_code == 422
    assert database_state() == before
    page = response.text
    assert 'id="import-problems"' in page and "B00 基本信息" in page
    assert "B00.26" in page and "Import now" not in page and "立即导入" not in page


def test_dry_run_then_confirm_imports_the_workbook(published):
    snapshot, staff = published
    item = snapshot.version.standard.item
    client = client_of(staff)
    before = database_state()
    response = client.post(import_url(item), {"workbook": upload(workbook_bytes(snapshot))})
    assert response.status_code == 200
    assert database_state() == before  # only the pending file exists now
    token = response.context["token"]
    assert response.context["outcome"].action == "new_draft"
    response = client.post(import_url(item, "interchange:import_confirm"), {"token": token})
    draft = StandardVersion.objects.get(standard=snapshot.version.standard, state="draft")
    assert response.status_code == 302 and response["Location"] == reverse(
        "standards:version", args=[draft.pk]
    )
    # The token is spent: the pending file is gone.
    again = client.post(import_url(item, "interchange:import_confirm"), {"token": token})
    assert again.status_code == 302 and again["Location"] == import_url(item)


def test_a_token_is_only_good_for_its_user_and_item(published):
    snapshot, staff = published
    item = snapshot.version.standard.item
    colleague = member(Role.DEPARTMENT_STAFF, staff.department)
    token = pending.store(workbook_bytes(snapshot), user_pk=staff.pk, item_code=item.basic_code)
    before = database_state()
    response = client_of(colleague).post(
        import_url(item, "interchange:import_confirm"), {"token": token}
    )
    assert response.status_code == 302 and response["Location"] == import_url(item)
    assert pending.load(token, user_pk=staff.pk, item_code="other") is None
    assert pending.load(token + "x", user_pk=staff.pk, item_code=item.basic_code) is None
    assert database_state() == before


def test_the_upload_form_refuses_a_missing_file(published):
    snapshot, staff = published
    response = client_of(staff).post(import_url(snapshot.version.standard.item), {})
    assert response.status_code == 422
