"""A new template version reaches adopters as a per-field comparison they decide on."""

from __future__ import annotations

import pytest
from django.urls import reverse

from adoption.models import ChangeItem, Override, TemplateChange
from adoption.services.adopting import AdoptionError, adopt
from adoption.services.deciding import accept, accept_untouched, keep
from standards.models import StandardVersion
from standards.registry import REGISTRY
from standards.services.drafting import new_draft_from
from standards.snapshot import snapshot
from tests.adoption.conftest import publish

INHERITED = REGISTRY["B00.03"]  # common name: the adopter keeps the template's value
OVERRIDDEN = REGISTRY["B00.08"]  # exercise content: the adopter has its own value
UNCHANGED = REGISTRY["B00.07"]
MATERIAL = REGISTRY["E05.01"]


def set_field(version, field, value, row_uid=None):
    model = REGISTRY.group(field.group).model
    rows = model.objects.filter(version=version)
    if row_uid:
        rows = rows.filter(uid=row_uid)
    rows.update(**{field.attribute: value})


@pytest.fixture
def adopted(world, template, django_capture_on_commit_callbacks):
    """The county adopted the template, overrode one field, and published its standard."""
    county = world["people"]["county"]
    adoption = adopt(template=template, user=county)
    local = adoption.standard.versions.get()
    Override.objects.create(
        adoption=adoption, field_code=OVERRIDDEN.code, reason="本区另有规定", created_by=county
    )
    set_field(local, OVERRIDDEN, "南海区的行使内容")
    publish(local, county)
    return adoption


def new_template_version(template, world, django_capture_on_commit_callbacks, **values):
    province = world["people"]["province"]
    current = template.standard.versions.get(state=StandardVersion.State.PUBLISHED)
    draft = new_draft_from(version=current, user=province)
    for field, value in values.items():
        set_field(draft, REGISTRY[field.replace("_", ".")], value)
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, province)
    return draft


def test_comparison_shows_inherited_and_overridden_fields(
    world, template, adopted, django_capture_on_commit_callbacks
):
    new_template_version(
        template, world, django_capture_on_commit_callbacks,
        B00_03="新的通用名称", B00_08="新的行使内容",
    )  # fmt: skip
    change = TemplateChange.objects.get(adoption=adopted)
    items = {i.field_code: i for i in change.items.all()}
    assert set(items) == {INHERITED.code, OVERRIDDEN.code}
    inherited, overridden = items[INHERITED.code], items[OVERRIDDEN.code]
    template_v1 = snapshot(adopted.adopted_template_version)["content"]["basic_info"]
    assert (inherited.before, inherited.after) == (template_v1[INHERITED.code], "新的通用名称")
    assert inherited.local == template_v1[INHERITED.code]
    assert inherited.local_state == ChangeItem.Local.INHERITED and inherited.untouched
    assert (overridden.before, overridden.after) == (template_v1[OVERRIDDEN.code], "新的行使内容")
    assert overridden.local == "南海区的行使内容"
    assert overridden.local_state == ChangeItem.Local.OVERRIDDEN and not overridden.untouched


def test_accepting_works_per_field_and_never_touches_the_published_version(
    world, template, adopted, django_capture_on_commit_callbacks, client
):
    new_template_version(
        template, world, django_capture_on_commit_callbacks,
        B00_03="新的通用名称", B00_08="新的行使内容",
    )  # fmt: skip
    change = TemplateChange.objects.get(adoption=adopted)
    published = adopted.standard.versions.get(state=StandardVersion.State.PUBLISHED)
    before_publication = snapshot(published)
    county = world["people"]["county"]

    client.force_login(county)
    url = reverse("adoption:change", args=[adopted.pk, change.pk])
    page = client.get(url).content.decode()
    assert "新的通用名称" in page and "南海区的行使内容" in page and "新的行使内容" in page

    inherited = change.items.get(field_code=INHERITED.code)
    response = client.post(url, {"action": "accept", "item": [inherited.pk]})
    assert response.status_code == 302
    draft = adopted.standard.versions.get(state=StandardVersion.State.DRAFT)
    content = snapshot(draft)["content"]["basic_info"]
    assert content[INHERITED.code] == "新的通用名称"
    assert content[OVERRIDDEN.code] == "南海区的行使内容"  # not decided yet
    assert snapshot(published) == before_publication
    change.refresh_from_db()
    assert change.state == TemplateChange.State.PENDING

    # Keeping needs a reason, given at the field.
    overridden = change.items.get(field_code=OVERRIDDEN.code)
    response = client.post(url, {"action": "keep", "item": [overridden.pk], "reason": ""})
    assert response.status_code == 422
    assert "reason" in response.context["keep_form"].errors
    response = client.post(
        url, {"action": "keep", "item": [overridden.pk], "reason": "维持本区规定"}
    )
    assert response.status_code == 302
    change.refresh_from_db()
    adopted.refresh_from_db()
    assert change.state == TemplateChange.State.RESOLVED
    assert adopted.adopted_template_version == change.to_version
    assert snapshot(draft)["content"]["basic_info"][OVERRIDDEN.code] == "南海区的行使内容"
    assert snapshot(published) == before_publication


def test_bulk_accept_takes_only_untouched_inherited_fields(
    world, template, adopted, django_capture_on_commit_callbacks
):
    new_template_version(
        template, world, django_capture_on_commit_callbacks,
        B00_03="新的通用名称", B00_08="新的行使内容", B00_07="新的权限划分",
    )  # fmt: skip
    change = TemplateChange.objects.get(adoption=adopted)
    assert accept_untouched(change=change, user=world["people"]["county"]) == 2
    decided = dict(change.items.values_list("field_code", "decision"))
    assert decided == {
        INHERITED.code: "accepted",
        UNCHANGED.code: "accepted",
        OVERRIDDEN.code: "pending",
    }
    draft = adopted.standard.versions.get(state=StandardVersion.State.DRAFT)
    content = snapshot(draft)["content"]["basic_info"]
    assert (content[INHERITED.code], content[UNCHANGED.code]) == ("新的通用名称", "新的权限划分")
    assert content[OVERRIDDEN.code] == "南海区的行使内容"


def test_rows_added_by_the_template_can_be_accepted(
    world, template, adopted, django_capture_on_commit_callbacks
):
    province = world["people"]["province"]
    current = template.standard.versions.get(state=StandardVersion.State.PUBLISHED)
    draft = new_draft_from(version=current, user=province)
    model = REGISTRY.group("material").model
    row = model.objects.filter(version=draft).first()
    row.pk, row.uid, row.position = None, None, 9
    import uuid

    row.uid = uuid.uuid4()
    setattr(row, MATERIAL.attribute, "模板新增材料")
    row.save()
    with django_capture_on_commit_callbacks(execute=True):
        publish(draft, province)
    change = TemplateChange.objects.get(adoption=adopted)
    added = change.items.get(kind=ChangeItem.Kind.ADDED)
    assert added.untouched
    accept(change=change, item_ids=[added.pk], user=world["people"]["county"])
    local = adopted.standard.versions.get(state=StandardVersion.State.DRAFT)
    assert "模板新增材料" in [r[MATERIAL.code] for r in snapshot(local)["content"]["material"]]


def test_a_draft_in_review_is_not_written(
    world, template, adopted, django_capture_on_commit_callbacks
):
    new_template_version(template, world, django_capture_on_commit_callbacks, B00_03="新名称")
    change = TemplateChange.objects.get(adoption=adopted)
    published = adopted.standard.versions.get(state=StandardVersion.State.PUBLISHED)
    draft = new_draft_from(version=published, user=world["people"]["county"])
    StandardVersion.objects.filter(pk=draft.pk).update(state=StandardVersion.State.SUBMITTED)
    with pytest.raises(AdoptionError):
        accept_untouched(change=change, user=world["people"]["county"])
    assert change.items.get().decision == "pending"


def test_keep_requires_a_reason(world, template, adopted, django_capture_on_commit_callbacks):
    new_template_version(template, world, django_capture_on_commit_callbacks, B00_03="新名称")
    change = TemplateChange.objects.get(adoption=adopted)
    with pytest.raises(AdoptionError):
        keep(
            change=change,
            item_ids=[change.items.get().pk],
            user=world["people"]["county"],
            reason=" ",
        )


def test_another_department_cannot_decide(
    world, template, adopted, django_capture_on_commit_callbacks, client
):
    new_template_version(template, world, django_capture_on_commit_callbacks, B00_03="新名称")
    change = TemplateChange.objects.get(adoption=adopted)
    client.force_login(world["people"]["city"])
    url = reverse("adoption:change", args=[adopted.pk, change.pk])
    assert client.post(url, {"action": "accept_untouched"}).status_code == 404
    assert change.items.get().decision == "pending"


def test_a_rolled_back_publication_reaches_nobody(world, template, adopted):
    # Without the commit (no on_commit callbacks run), no change is created.
    province = world["people"]["province"]
    current = template.standard.versions.get(state=StandardVersion.State.PUBLISHED)
    draft = new_draft_from(version=current, user=province)
    publish(draft, province)
    assert not TemplateChange.objects.exists()
