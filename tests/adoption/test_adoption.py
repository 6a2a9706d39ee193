"""Adopting a template: inherit (locked), extend (local rows), override (with a reason)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from adoption.models import Adoption, Override
from adoption.services.adopting import AdoptionError, adopt, mark_template
from adoption.services.locks import lock_state
from standards.models import StandardVersion
from standards.registry import REGISTRY
from standards.services.editing import registry_section
from standards.snapshot import snapshot
from tests.adoption.conftest import template_standard
from tests.editor_posting import section_post_data
from tests.factories import ApprovalItemFactory, StandardFactory, VersionFactory

NAME = REGISTRY["B00.03"]  # basic information: common name (a single-valued text field)
MATERIAL = REGISTRY["E05.01"]  # material name (a repeating group's text field)


def content_of(version: StandardVersion) -> dict:
    return snapshot(version)["content"]


def post_section(client, version, code, content):
    section = registry_section(code)
    data = section_post_data(version, section, content, with_refs=True)
    return client.post(reverse("standards:section", args=[version.pk, code]), data)


def test_adopting_copies_the_template_with_its_row_uids(world, template):
    adoption = adopt(template=template, user=world["people"]["county"])
    local = adoption.standard.versions.get()
    source = adoption.adopted_template_version
    assert local.state == StandardVersion.State.DRAFT
    assert adoption.standard.department == world["departments"]["county"]
    mine, theirs = content_of(local), content_of(source)
    assert mine == theirs  # same values, same row ids: every row can be matched
    assert len(mine["material"]) == 2


def test_inherited_field_is_locked_in_the_editor_and_refused_on_save(world, template, client):
    adoption = adopt(template=template, user=world["people"]["county"])
    draft = adoption.standard.versions.get()
    client.force_login(world["people"]["county"])
    page = client.get(reverse("standards:section", args=[draft.pk, "B00"]))
    assert "adoption-state" in page.content.decode()
    assert "adoption-locked" in page.content.decode()

    content = content_of(draft)
    content["basic_info"][NAME.code] = "本地名称"
    response = post_section(client, draft, "B00", content)
    assert response.status_code == 422
    assert "inherited from the template and locked" in response.content.decode() or (
        "继承" in response.content.decode()
    )
    draft.refresh_from_db()
    assert content_of(draft)["basic_info"][NAME.code] != "本地名称"


def test_override_with_reason_unlocks_the_field(world, template, client):
    adoption = adopt(template=template, user=world["people"]["county"])
    draft = adoption.standard.versions.get()
    client.force_login(world["people"]["county"])
    url = reverse("adoption:detail", args=[adoption.pk])
    response = client.post(
        url, {"field_code": NAME.code, "row_uid": "", "reason": "本区通用名称不同"}
    )
    assert response.status_code == 302
    assert lock_state(adoption.standard_id).is_locked(NAME.code) is False
    content = content_of(draft)
    content["basic_info"][NAME.code] = "本地名称"
    assert post_section(client, draft, "B00", content).status_code == 302
    assert content_of(draft)["basic_info"][NAME.code] == "本地名称"


def test_override_without_reason_is_refused_at_the_field(world, template, client):
    adoption = adopt(template=template, user=world["people"]["county"])
    client.force_login(world["people"]["county"])
    response = client.post(
        reverse("adoption:detail", args=[adoption.pk]),
        {"field_code": NAME.code, "row_uid": "", "reason": "  "},
    )
    assert response.status_code == 422
    form = response.context["form"]
    assert "reason" in form.errors
    assert not Override.objects.exists()


def test_override_of_a_row_field_needs_the_row(world, template, client):
    adoption = adopt(template=template, user=world["people"]["county"])
    client.force_login(world["people"]["county"])
    response = client.post(
        reverse("adoption:detail", args=[adoption.pk]),
        {"field_code": MATERIAL.code, "row_uid": "", "reason": "理由"},
    )
    assert response.status_code == 422
    assert "row_uid" in response.context["form"].errors


def test_extending_adds_local_rows_and_keeps_inherited_rows_locked(world, template, client):
    adoption = adopt(template=template, user=world["people"]["county"])
    draft = adoption.standard.versions.get()
    client.force_login(world["people"]["county"])
    content = content_of(draft)
    extra = {**content["material"][0], "row_id": "new-local-row", MATERIAL.code: "本区补充材料"}
    content["material"].append(extra)
    response = post_section(client, draft, "E05", content)
    assert response.status_code == 302, response.content.decode()[:2000]
    names = [r[MATERIAL.code] for r in content_of(draft)["material"]]
    assert "本区补充材料" in names and len(names) == 3
    state = lock_state(adoption.standard_id)
    local_uid = next(
        r["row_id"] for r in content_of(draft)["material"] if r[MATERIAL.code] == "本区补充材料"
    )
    assert not state.is_locked(MATERIAL.code, local_uid)
    inherited_uid = content["material"][0]["row_id"]
    assert state.is_locked(MATERIAL.code, inherited_uid)

    # Removing an inherited row is refused without an override of the row.
    def remove_inherited_row():
        data = section_post_data(draft, registry_section("E05"), content_of(draft))
        index = next(
            key.split("-")[1]
            for key, value in data.items()
            if key.startswith("material-")
            and key.endswith("-id")
            and value
            == str(
                REGISTRY.group("material").model.objects.get(version=draft, uid=inherited_uid).pk
            )
        )
        data[f"material-{index}-DELETE"] = "on"
        return client.post(reverse("standards:section", args=[draft.pk, "E05"]), data)

    assert remove_inherited_row().status_code == 422
    assert inherited_uid in {r["row_id"] for r in content_of(draft)["material"]}
    Override.objects.create(
        adoption=adoption,
        field_code="",
        row_uid=inherited_uid,
        reason="本区不要求该材料",
        created_by=world["people"]["county"],
    )
    assert remove_inherited_row().status_code == 302
    assert inherited_uid not in {r["row_id"] for r in content_of(draft)["material"]}


def test_only_city_and_county_departments_adopt_at_their_level(world):
    template = template_standard(world, levels="province_city", name="道路旅客运输经营许可")
    with pytest.raises(AdoptionError):
        adopt(template=template, user=world["people"]["county"])  # not a county item
    with pytest.raises(AdoptionError):
        adopt(template=template, user=world["people"]["province"])
    adopt(template=template, user=world["people"]["city"])
    with pytest.raises(AdoptionError):  # once
        adopt(template=template, user=world["people"]["city"])
    assert Adoption.objects.count() == 1


def test_templates_are_made_only_by_the_owning_provincial_department(world, template):
    department = world["departments"]["province"]
    item = ApprovalItemFactory(levels="province_city_county", department=department)
    standard = StandardFactory(item=item, department=department, region=department.region)
    VersionFactory(standard=standard, number=1)
    with pytest.raises(AdoptionError):  # not published
        mark_template(standard=standard, user=world["people"]["province"])
    with pytest.raises(AdoptionError):  # a city department
        mark_template(standard=template.standard, user=world["people"]["city"])
    assert mark_template(standard=template.standard, user=world["people"]["province"]) == template


def test_another_department_cannot_see_or_change_an_adoption(world, template, client):
    adoption = adopt(template=template, user=world["people"]["county"])
    client.force_login(world["people"]["other"])
    url = reverse("adoption:detail", args=[adoption.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"field_code": NAME.code, "reason": "x"}).status_code == 404
    assert not Override.objects.exists()
    client.force_login(world["people"]["city"])
    assert (
        client.post(reverse("adoption:make_template", args=[template.standard_id])).status_code
        == 403
    )
    client.logout()
    assert client.get(url).status_code == 302  # to the sign-in page
