"""The write API: drafts of the caller's department, through the editor's own forms."""

from __future__ import annotations

import pytest
from django.urls import reverse

from standards.models import Material, Service, StandardVersion
from standards.roles import Role
from tests.api.conftest import client_for, person, publish_for_test
from tests.content import fill_version
from tests.factories import ApprovalItemFactory, DepartmentFactory, VersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def version():
    version = VersionFactory()
    fill_version(version, rows_per_group=2)
    return version


@pytest.fixture
def staff(version):
    return person(Role.DEPARTMENT_STAFF, version.standard.department, name="staff")


def section_url(version, code):
    return reverse("api:draft-section", args=[version.pk, code])


def read(client, version, code):
    response = client.get(section_url(version, code))
    assert response.status_code == 200, response.content
    return response


def patch(client, version, code, body, **headers):
    return client.patch(section_url(version, code), body, format="json", **headers)


# Access ---------------------------------------------------------------------


def test_anonymous_callers_are_asked_to_authenticate(version):
    response = client_for().get(reverse("api:draft", args=[version.pk]))
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "not_authenticated"


@pytest.mark.parametrize("role", [Role.EDITORIAL_REVIEWER, Role.ADMINISTRATOR])
def test_users_without_a_department_role_may_not_use_drafts(version, role):
    client = client_for(person(role, version.standard.department))
    for url in (reverse("api:drafts"), reverse("api:draft", args=[version.pk])):
        assert client.get(url).status_code == 403


def test_another_departments_draft_is_not_found_for_every_method(version):
    other = client_for(person(Role.DEPARTMENT_STAFF, DepartmentFactory()))
    assert other.get(reverse("api:draft", args=[version.pk])).status_code == 404
    assert other.get(section_url(version, "E12")).status_code == 404
    body = {"content": {"service": {"E12.12": "改"}}}
    response = patch(other, version, "E12", body, HTTP_IF_MATCH="*")
    assert response.status_code == 404
    assert other.post(reverse("api:draft-submit", args=[version.pk])).status_code == 404
    assert Service.objects.get(version=version).office_hours != "改"
    assert version.pk not in [d["id"] for d in other.get(reverse("api:drafts")).json()["results"]]


def test_the_session_is_accepted_but_writes_need_the_csrf_token(version, staff):
    from rest_framework.test import APIClient

    client = APIClient(enforce_csrf_checks=True)
    client.force_login(staff)
    assert client.get(reverse("api:draft", args=[version.pk])).status_code == 200
    response = patch(client, version, "E12", {"content": {}}, HTTP_IF_MATCH="*")
    assert response.status_code == 403


# Reading ----------------------------------------------------------------------


def test_a_draft_reads_with_its_snapshot_and_sections(version, staff):
    body = client_for(staff).get(reverse("api:draft", args=[version.pk])).json()
    assert body["id"] == version.pk and body["state"] == "draft" and body["editable"]
    assert len(body["snapshot"]["content"]["material"]) == 2
    assert body["sections"][0]["code"] == "B00"
    assert "submit" in body["actions"]


def test_the_list_shows_the_departments_open_versions_only(version, staff):
    other = VersionFactory()
    response = client_for(staff).get(reverse("api:drafts"))
    ids = [d["id"] for d in response.json()["results"]]
    assert ids == [version.pk]
    assert other.pk not in ids


def test_a_section_reads_as_snapshot_content_with_its_etag(version, staff):
    response = read(client_for(staff), version, "E05")
    body = response.json()
    assert response["ETag"] == body["etag"]
    rows = body["content"]["material"]
    assert [r["row_id"] for r in rows] == [
        str(m.uid) for m in Material.objects.filter(version=version)
    ]
    assert rows[0]["E05.01"] == Material.objects.filter(version=version).first().name


def test_an_unknown_section_is_not_found(version, staff):
    assert client_for(staff).get(section_url(version, "Z99")).status_code == 404


# Saving -----------------------------------------------------------------------


def test_a_field_saved_with_if_match_changes_only_that_field(version, staff):
    client = client_for(staff)
    before = read(client, version, "E12")
    body = {"content": {"service": {"E12.12": "工作日 9:00-17:00"}}}
    response = patch(client, version, "E12", body, HTTP_IF_MATCH=before["ETag"])
    assert response.status_code == 200, response.json()
    service = Service.objects.get(version=version)
    assert service.office_hours == "工作日 9:00-17:00"
    assert response.json()["content"]["service"]["E12.02"] == service.consultation_phone
    assert response["ETag"] != before["ETag"]
    version.refresh_from_db()
    assert version.edit_count == 1 and version.last_edited_by == staff


def test_rows_are_updated_added_removed_and_reordered(version, staff):
    client = client_for(staff)
    first, second = read(client, version, "E05").json()["content"]["material"]
    body = {
        "content": {
            "material": [
                {"row_id": second["row_id"], "E05.01": "营业执照"},
                {"E05.01": "新增材料", "E05.02": first["E05.02"], "E05.10": 1},
            ]
        }
    }
    etag = read(client, version, "E05")["ETag"]
    response = patch(client, version, "E05", body, HTTP_IF_MATCH=etag)
    assert response.status_code == 200, response.json()
    rows = list(Material.objects.filter(version=version))
    assert [r.name for r in rows] == ["营业执照", "新增材料"]
    assert str(rows[0].uid) == second["row_id"]
    assert rows[0].issuing_agency == second["E05.07"]  # fields left out are kept
    assert not Material.objects.filter(uid=first["row_id"]).exists()


def test_invalid_values_are_reported_at_field_and_row_and_nothing_is_saved(version, staff):
    client = client_for(staff)
    rows = read(client, version, "E05").json()["content"]["material"]
    body = {
        "content": {
            "material": [
                {"row_id": rows[0]["row_id"], "E05.01": "改过的名称"},
                {"row_id": rows[1]["row_id"], "E05.02": "zz", "E05.10": 10000},
            ]
        }
    }
    etag = read(client, version, "E05")["ETag"]
    response = patch(client, version, "E05", body, HTTP_IF_MATCH=etag)
    assert response.status_code == 422
    errors = response.json()["errors"]
    where = {(e["field"], e["row"], e["row_id"]) for e in errors}
    assert ("E05.02", 2, rows[1]["row_id"]) in where
    assert ("E05.10", 2, rows[1]["row_id"]) in where
    assert all(e["message"] for e in errors)
    # The valid change of the first row was not written either.
    assert Material.objects.get(uid=rows[0]["row_id"]).name == rows[0]["E05.01"]
    version.refresh_from_db()
    assert version.edit_count == 0


def test_messages_are_chinese_by_default_and_english_on_request(version, staff):
    client = client_for(staff)
    etag = read(client, version, "E12")["ETag"]
    body = {"content": {"service": {"E12.05": "not an address"}}}
    chinese = patch(client, version, "E12", body, HTTP_IF_MATCH=etag)
    english = patch(client, version, "E12", body, HTTP_IF_MATCH=etag, HTTP_ACCEPT_LANGUAGE="en")
    query = client.patch(
        section_url(version, "E12") + "?lang=en", body, format="json", HTTP_IF_MATCH=etag
    )
    assert chinese.status_code == english.status_code == query.status_code == 422
    [zh] = chinese.json()["errors"]
    [en] = english.json()["errors"]
    assert zh["field"] == en["field"] == "E12.05"
    assert en["message"] == "Enter a valid email address."
    assert zh["message"] != en["message"] and "邮件地址" in zh["message"]
    assert query.json()["errors"][0]["message"] == en["message"]
    assert chinese["Content-Language"] == "zh-hans" and english["Content-Language"] == "en"


@pytest.mark.parametrize(
    ("content", "field"),
    [
        ({"service": {"E05.01": "x"}}, "E05.01"),  # a code of another group
        ({"service": {"E12.12": 5}}, "E12.12"),  # a number where text is expected
        ({"service": {"E12.12": ["a"]}}, "E12.12"),
    ],
)
def test_unknown_codes_and_wrong_json_types_are_refused_at_the_field(
    version, staff, content, field
):
    client = client_for(staff)
    etag = read(client, version, "E12")["ETag"]
    response = patch(client, version, "E12", {"content": content}, HTTP_IF_MATCH=etag)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == field


def test_an_unknown_group_or_row_is_refused(version, staff):
    client = client_for(staff)
    etag = read(client, version, "E05")["ETag"]
    response = patch(client, version, "E05", {"content": {"service": {}}}, HTTP_IF_MATCH=etag)
    assert response.status_code == 422
    assert response.json()["errors"][0]["code"] == "unknown_group"
    body = {"content": {"material": [{"row_id": "00000000-0000-0000-0000-000000000000"}]}}
    response = patch(client, version, "E05", body, HTTP_IF_MATCH=etag)
    assert response.status_code == 422
    assert response.json()["errors"][0] == {
        **response.json()["errors"][0],
        "code": "unknown_row",
        "row": 1,
    }
    assert Material.objects.filter(version=version).count() == 2


def test_files_cannot_be_replaced_through_the_api(version, staff):
    client = client_for(staff)
    rows = read(client, version, "E05").json()["content"]["material"]
    etag = read(client, version, "E05")["ETag"]
    body = {"content": {"material": [{"row_id": rows[0]["row_id"], "E05.14": "evil.pdf"}]}}
    response = patch(client, version, "E05", body, HTTP_IF_MATCH=etag)
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "E05.14"
    # Sending the stored value back (a read-modify-write client) is fine and keeps the file.
    kept = {"content": {"material": [rows[0], rows[1]]}}
    assert patch(client, version, "E05", kept, HTTP_IF_MATCH=etag).status_code == 200
    assert Material.objects.get(uid=rows[0]["row_id"]).blank_form.name == rows[0]["E05.14"]


# Lost updates -----------------------------------------------------------------


def test_a_stale_if_match_is_refused_with_412(version, staff):
    alice, bob = (
        client_for(staff),
        client_for(person(Role.DEPARTMENT_STAFF, version.standard.department)),
    )
    etag = read(bob, version, "E12")["ETag"]
    assert (
        patch(
            alice, version, "E12", {"content": {"service": {"E12.12": "甲"}}}, HTTP_IF_MATCH=etag
        ).status_code
        == 200
    )
    response = patch(
        bob, version, "E12", {"content": {"service": {"E12.12": "乙"}}}, HTTP_IF_MATCH=etag
    )
    assert response.status_code == 412
    assert response.json()["etag"] == read(bob, version, "E12")["ETag"]
    assert Service.objects.get(version=version).office_hours == "甲"


def test_a_stale_base_token_is_refused_with_409_listing_the_other_change(version, staff):
    alice, bob = (
        client_for(staff),
        client_for(person(Role.DEPARTMENT_STAFF, version.standard.department)),
    )
    bobs = read(bob, version, "E12").json()
    assert (
        patch(
            alice, version, "E12", {"content": {"service": {"E12.12": "甲"}}}, HTTP_IF_MATCH="*"
        ).status_code
        == 200
    )
    body = {
        "base": bobs["base"],
        "edit_count": bobs["edit_count"],
        "content": {"service": {"E12.12": "乙"}},
    }
    response = patch(bob, version, "E12", body)
    assert response.status_code == 409
    changes = response.json()["changes"]
    assert {"field": "E12.12", "after": "甲"}.items() <= changes[0].items()
    assert Service.objects.get(version=version).office_hours == "甲"
    # Re-applied knowingly on the new base, it is saved.
    retry = {**body, "base": response.json()["base"], "edit_count": response.json()["edit_count"]}
    assert patch(bob, version, "E12", retry).status_code == 200
    assert Service.objects.get(version=version).office_hours == "乙"


def test_a_save_of_another_section_in_between_does_not_block(version, staff):
    client = client_for(staff)
    e12 = read(client, version, "E12")
    etag_b00 = read(client, version, "B00")["ETag"]
    assert (
        patch(
            client,
            version,
            "B00",
            {"content": {"basic_info": {"B00.03": "俗称"}}},
            HTTP_IF_MATCH=etag_b00,
        ).status_code
        == 200
    )
    body = {
        "base": e12.json()["base"],
        "edit_count": e12.json()["edit_count"],
        "content": {"service": {"E12.12": "乙"}},
    }
    assert patch(client, version, "E12", body).status_code == 200
    assert Service.objects.get(version=version).office_hours == "乙"


def test_a_save_without_a_precondition_is_refused_with_428(version, staff):
    response = patch(client_for(staff), version, "E12", {"content": {"service": {"E12.12": "甲"}}})
    assert response.status_code == 428
    assert Service.objects.get(version=version).office_hours != "甲"


def test_versions_outside_draft_and_returned_cannot_be_changed(version, staff):
    StandardVersion.objects.filter(pk=version.pk).update(state="submitted")
    response = patch(
        client_for(staff),
        version,
        "E12",
        {"content": {"service": {"E12.12": "甲"}}},
        HTTP_IF_MATCH="*",
    )
    assert response.status_code == 403


# Starting drafts ----------------------------------------------------------------


def test_starting_a_standard_for_an_item_the_department_implements(staff):
    item = ApprovalItemFactory(department=staff.department)
    client = client_for(staff)
    response = client.post(reverse("api:drafts"), {"item": item.basic_code}, format="json")
    assert response.status_code == 201, response.json()
    created = StandardVersion.objects.get(standard__item=item)
    assert response.json()["id"] == created.pk and created.number == 1
    assert response["Location"].endswith(reverse("api:draft", args=[created.pk]))
    again = client.post(reverse("api:drafts"), {"item": item.basic_code}, format="json")
    assert again.status_code == 409
    assert again.json()["errors"][0]["code"] == "draft_exists"


def test_an_item_of_another_department_cannot_be_started(staff):
    item = ApprovalItemFactory()
    response = client_for(staff).post(
        reverse("api:drafts"), {"item": item.basic_code}, format="json"
    )
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "item"
    assert not StandardVersion.objects.filter(standard__item=item).exists()


def test_a_new_draft_copies_the_published_version(version, staff):
    publish_for_test(version, staff)
    client = client_for(staff)
    body = {"item": version.standard.item.basic_code, "from_version": 1}
    response = client.post(reverse("api:drafts"), body, format="json")
    assert response.status_code == 201, response.json()
    draft = StandardVersion.objects.get(pk=response.json()["id"])
    assert draft.number == 2 and draft.state == "draft"
    assert Material.objects.filter(version=draft).count() == 2
    assert client.post(reverse("api:drafts"), body, format="json").status_code == 409


def test_a_new_draft_needs_the_published_version(version, staff):
    body = {"item": version.standard.item.basic_code, "from_version": 1}
    response = client_for(staff).post(reverse("api:drafts"), body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"][0]["field"] == "from_version"


@pytest.mark.parametrize(
    "body", [{}, {"item": ""}, {"item": "x" * 40}, {"item": "1", "from_version": 0}, []]
)
def test_malformed_bodies_are_refused_with_field_errors(staff, body):
    response = client_for(staff).post(reverse("api:drafts"), body, format="json")
    assert response.status_code == 400
    assert response.json()["errors"]


# Submitting ---------------------------------------------------------------------


def test_submitting_an_incomplete_draft_lists_the_fields(staff):
    version = VersionFactory(
        standard__department=staff.department, standard__item__department=staff.department
    )
    response = client_for(staff).post(reverse("api:draft-submit", args=[version.pk]))
    assert response.status_code == 422
    errors = response.json()["errors"]
    assert {"field": "B00.01", "code": "required"}.items() <= next(
        e for e in errors if e.get("field") == "B00.01"
    ).items()
    version.refresh_from_db()
    assert version.state == "draft"


def test_a_body_without_content_is_refused(version, staff):
    response = patch(client_for(staff), version, "E12", {"base": "x"}, HTTP_IF_MATCH="*")
    assert response.status_code == 422
    version.refresh_from_db()
    assert version.edit_count == 0


def test_an_oversized_body_is_refused_before_it_is_read(version, staff, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 1000
    body = {"content": {"service": {"E12.17": "长" * 2000}}}
    response = patch(client_for(staff), version, "E12", body, HTTP_IF_MATCH="*")
    assert response.status_code == 413
    assert response.json()["errors"][0]["code"] == "too_large"


def test_the_list_and_a_section_cost_the_same_queries_for_n_and_2n_rows(staff):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    department = staff.department
    client = client_for(staff)

    def count(url):
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    def more_drafts(n):
        return [
            VersionFactory(standard__department=department, standard__item__department=department)
            for _ in range(n)
        ]

    drafts = more_drafts(3)
    small = count(reverse("api:drafts"))
    more_drafts(3)
    assert count(reverse("api:drafts")) == small
    two, four = drafts[0], drafts[1]
    fill_version(two, rows_per_group=2)
    fill_version(four, rows_per_group=4)
    assert Material.objects.filter(version=four).count() == 4
    assert count(section_url(four, "E05")) == count(section_url(two, "E05"))
