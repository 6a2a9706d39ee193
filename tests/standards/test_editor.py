"""The section editor: every field has an input, values land, rows work, nothing is lost."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from standards.models import LegalBasis, Service
from standards.registry import REGISTRY, FieldType
from standards.roles import Role, ensure_role_groups
from standards.snapshot import snapshot
from tests.content import fill_version, value_for
from tests.editor_posting import post_section, section_post_data
from tests.factories import UserFactory, VersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def version():
    return VersionFactory()


def staff_client(version, name="staff"):
    user = UserFactory(username=name, department=version.standard.department)
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    browser = Client()
    browser.force_login(user)
    return browser


def section_url(version, code):
    return reverse("standards:section", args=[version.pk, code])


def test_every_registry_field_has_an_input_carrying_its_code(version):
    fill_version(version)
    browser = staff_client(version)
    found = set()
    for section in REGISTRY.sections:
        page = browser.get(section_url(version, section.code))
        assert page.status_code == 200, section.code
        found |= set(re.findall(r'data-field-code="([A-Z0-9.]+)"', page.text))
    assert found == {f.code for f in REGISTRY}


def test_every_input_has_a_label(version):
    fill_version(version)
    browser = staff_client(version)
    page = browser.get(section_url(version, "E05")).text
    ids = re.findall(r'<(?:input|select|textarea)[^>]*\bid="(id_material-[^"]+)"', page)
    assert ids
    for input_id in ids:
        if input_id.endswith(("-ORDER", "-id")):
            continue
        assert f'for="{input_id}"' in page or "aria-labelledby" in page, input_id


def _content_for_every_field(version):
    """Content with every field filled, shaped like a snapshot."""
    content = {}
    for name, group in REGISTRY.groups.items():
        values = {
            f.code: value_for(f, "甲" if group.repeats else "")
            for f in group.fields
            if f.type not in (FieldType.REF, FieldType.FILE)
        }
        for f in group.fields:
            if f.type is FieldType.FILE:
                values[f.code] = "upload.pdf"
            if f.type is FieldType.DATE:
                values[f.code] = values[f.code].isoformat()
        content[name] = [{"row_id": f"{name}-1", **values}] if group.repeats else values
    return content


def _enter(browser, version, content, files=None):
    """Two passes through every section: rows first, then references between them."""
    uid_map = {}
    for with_refs in (False, True):
        for section in REGISTRY.sections:
            version.refresh_from_db()
            data = section_post_data(
                version, section, content, uid_map=uid_map, with_refs=with_refs, files=files
            )
            response = post_section(browser, version, section.code, data)
            assert response.status_code == 302, (section.code, _errors(response))
        for name, group in REGISTRY.groups.items():
            if group.repeats:
                rows = list(group.model._default_manager.filter(version=version))
                for row, entered in zip(rows, content[name], strict=True):
                    uid_map[entered["row_id"]] = str(row.uid)
    return uid_map


def _errors(response):
    return re.findall(r'class="invalid-feedback"[^>]*>(.*?)</div>', response.text, re.S)[:5]


def test_a_value_posted_for_every_field_lands_in_the_model_and_the_snapshot(version):
    browser = staff_client(version)
    content = _content_for_every_field(version)
    for group in REGISTRY.groups.values():
        for f in group.fields:
            if f.type is FieldType.REF:
                target = content[f.ref_group]
                row_ids = [r["row_id"] for r in target] if isinstance(target, list) else []
                records = content[group.name] if group.repeats else [content[group.name]]
                for record in records:
                    record[f.code] = row_ids
    uid_map = _enter(browser, version, content)
    data = snapshot(version)["content"]
    for name, group in REGISTRY.groups.items():
        stored = data[name] if group.repeats else [data[name]]
        entered = content[name] if group.repeats else [content[name]]
        assert len(stored) == len(entered), name
        for got, want in zip(stored, entered, strict=True):
            for f in group.fields:
                if f.type is FieldType.FILE:
                    assert got[f.code] and got[f.code].endswith(".pdf"), f
                elif f.type is FieldType.REF:
                    assert got[f.code] == [uid_map[r] for r in want[f.code]], f
                elif f.type is FieldType.MULTICHOICE:
                    assert sorted(got[f.code]) == sorted(want[f.code]), f
                else:
                    assert got[f.code] == want[f.code], f


def test_a_form_with_errors_keeps_what_was_typed_and_points_at_the_field(version):
    browser = staff_client(version)
    content = {"service": {"E12.02": "86339000", "E12.12": "工作日 9:00-17:00"}}
    from standards.services.editing import registry_section

    data = section_post_data(version, registry_section("E12"), content)
    data["service-office_address"] = "南海区桂城街道南海大道北<i>88号</i>3号窗口"
    response = post_section(browser, version, "E12", data)
    assert response.status_code == 422
    assert 'aria-invalid="true"' in response.text
    assert re.search(r'aria-describedby="[^"]*id_service-consultation_phone_error', response.text)
    assert 'id="id_service-consultation_phone_error"' in response.text
    assert 'value="86339000"' in response.text
    assert "&lt;i&gt;88号&lt;/i&gt;" in response.text
    assert "<i>88号</i>" not in response.text
    assert not Service.objects.filter(version=version).exists()


def test_rows_are_added_reordered_and_removed_through_the_formset(version):
    browser = staff_client(version)
    from standards.services.editing import registry_section

    section = registry_section("E02")
    rows = [
        {"row_id": f"r{i}", "E02.01": "2", "E02.02": f"《条例{i}》", "E02.08": f"第{i}条"}
        for i in range(1, 4)
    ]
    assert (
        post_section(
            browser, version, "E02", section_post_data(version, section, {"legal_basis": rows})
        ).status_code
        == 302
    )
    names = list(LegalBasis.objects.filter(version=version).values_list("law_name", flat=True))
    assert names == ["《条例1》", "《条例2》", "《条例3》"]
    stored = list(LegalBasis.objects.filter(version=version))
    uid_map = {f"r{i + 1}": str(row.uid) for i, row in enumerate(stored)}
    version.refresh_from_db()
    reordered = [rows[2], rows[0]]
    data = section_post_data(version, section, {"legal_basis": reordered}, uid_map=uid_map)
    # the second stored row is dropped: mark it deleted as the "remove" toggle does
    data["legal_basis-TOTAL_FORMS"] = "3"
    data["legal_basis-INITIAL_FORMS"] = "3"
    data["legal_basis-2-id"] = str(stored[1].pk)
    data["legal_basis-2-DELETE"] = "on"
    data["legal_basis-2-ORDER"] = "3"
    data["legal_basis-2-law_name"] = "《条例2》"
    response = post_section(browser, version, "E02", data)
    assert response.status_code == 302, _errors(response)
    after = list(LegalBasis.objects.filter(version=version))
    assert [r.law_name for r in after] == ["《条例3》", "《条例1》"]
    assert [r.uid for r in after] == [stored[2].uid, stored[0].uid]


def test_the_add_row_fragment_is_numbered_after_the_existing_rows(version):
    browser = staff_client(version)
    url = reverse("standards:new_row", args=[version.pk, "material"])
    response = browser.get(url, {"material-TOTAL_FORMS": "3"}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assert 'name="material-3-name"' in response.text
    assert 'data-field-code="E05.01"' in response.text
    assert re.search(r'name="material-TOTAL_FORMS" value="4"[^>]*hx-swap-oob="true"', response.text)


def test_references_offer_only_rows_of_the_same_version(version):
    fill_version(version)
    other = VersionFactory()
    fill_version(other)
    browser = staff_client(version)
    page = browser.get(section_url(version, "E04")).text
    own = LegalBasis.objects.get(version=version)
    foreign = LegalBasis.objects.get(version=other)
    assert str(own.uid) in page
    assert str(foreign.uid) not in page


def test_a_posted_reference_to_another_versions_row_is_refused(version):
    fill_version(version)
    other = VersionFactory()
    fill_version(other)
    browser = staff_client(version)
    from standards.services.editing import registry_section

    snap = snapshot(version)["content"]
    snap["condition"][0]["E04.03"] = [str(LegalBasis.objects.get(version=other).uid)]
    data = section_post_data(version, registry_section("E04"), snap)
    response = post_section(browser, version, "E04", data)
    assert response.status_code == 422
    assert not version.condition_rows.get().legal_basis.filter(version=other).exists()


def _queries_for(django_assert_max_num_queries, call):
    with django_assert_max_num_queries(30) as captured:
        call()
    return len(captured.captured_queries)


def test_opening_a_section_costs_the_same_queries_for_n_and_2n_rows(
    version, django_assert_max_num_queries
):
    fill_version(version, rows_per_group=3)
    larger = VersionFactory(standard__department=version.standard.department)
    fill_version(larger, rows_per_group=6)
    browser = staff_client(version)
    for code in ("B00", "E02", "E05", "PL", "E12"):
        small = _queries_for(
            django_assert_max_num_queries, lambda code=code: browser.get(section_url(version, code))
        )
        large = _queries_for(
            django_assert_max_num_queries, lambda code=code: browser.get(section_url(larger, code))
        )
        assert small == large, code


def test_saving_a_section_costs_the_same_queries_for_n_and_2n_rows(
    version, django_assert_max_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from standards.services.editing import registry_section

    fill_version(version, rows_per_group=3)
    larger = VersionFactory(standard__department=version.standard.department)
    fill_version(larger, rows_per_group=6)
    browser = staff_client(version)
    counts = []
    for target in (version, larger):
        content = snapshot(target)["content"]
        content["material"][0]["E05.01"] = "营业执照（已更新）"
        data = section_post_data(target, registry_section("E05"), content, with_refs=True)
        with CaptureQueriesContext(connection) as captured:
            response = post_section(browser, target, "E05", data)
        assert response.status_code == 302, _errors(response)
        counts.append(len(captured.captured_queries))
    assert counts[0] == counts[1]


def test_a_section_with_sixty_material_rows_saves(version):
    """Sixty materials post ~1,900 fields: more than Django's default limit of 1,000."""
    from django.conf import settings

    from standards.models import Material
    from standards.services.editing import registry_section

    fill_version(version)
    content = snapshot(version)["content"]
    first = content["material"][0]
    content["material"] = [first] + [
        {**first, "row_id": f"new-{n}", "E05.01": f"材料{n}"} for n in range(2, 61)
    ]
    data = section_post_data(version, registry_section("E05"), content)
    posted = sum(len(v) if isinstance(v, list) else 1 for v in data.values())
    assert posted > 1000
    assert posted < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
    response = post_section(staff_client(version), version, "E05", data)
    assert response.status_code == 302, _errors(response)
    names = list(Material.objects.filter(version=version).values_list("name", flat=True))
    assert len(names) == 60
    assert names[-1] == "材料60"


def test_the_largest_section_at_its_row_cap_fits_the_posted_field_limit():
    """Every section, with each repeating group at the formset's cap and every row citing
    five rows per reference field, posts fewer fields than the request parser accepts."""
    from django.conf import settings

    from standards.forms.content import formset_class_for

    references_per_field = 5
    largest = 0
    for section in REGISTRY.sections:
        posted = 3  # CSRF token, edit count, base signature
        for group in section.groups:
            inputs = len(group.fields) + sum(
                references_per_field - 1 for f in group.fields if f.type is FieldType.REF
            )
            if group.repeats:
                cap = formset_class_for(group.name).max_num
                posted += 4 + cap * (inputs + 3)  # management form; id, ORDER, DELETE per row
            else:
                posted += inputs
        largest = max(largest, posted)
    assert largest < settings.DATA_UPLOAD_MAX_NUMBER_FIELDS
