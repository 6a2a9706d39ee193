"""The department workspace: lists, starting standards, new drafts from published ones."""

import pytest
from django.urls import reverse

from standards.models import Region, Standard, StandardVersion
from standards.roles import Role, ensure_role_groups
from tests.content import fill_version
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    StandardFactory,
    UserFactory,
    VersionFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client):
    department = DepartmentFactory(code="440000-scjgj", number="013")
    user = UserFactory(department=department, first_name="经办", last_name="陈")
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    client.force_login(user)
    return user


def test_home_lists_the_departments_standards_with_state_and_progress(client, staff):
    version = VersionFactory(
        standard=StandardFactory(item=ApprovalItemFactory(department=staff.department))
    )
    other = VersionFactory()
    response = client.get(reverse("standards:home"))
    assert response.status_code == 200
    assert version.standard.item.name in response.text
    assert other.standard.item.name not in response.text
    assert "草稿" in response.text


def test_home_query_count_is_flat_in_the_number_of_standards(
    client, staff, django_assert_max_num_queries
):
    def add(count):
        for _ in range(count):
            VersionFactory(
                standard=StandardFactory(item=ApprovalItemFactory(department=staff.department))
            )

    add(2)
    with django_assert_max_num_queries(10) as small:
        client.get(reverse("standards:home"))
    add(8)
    with django_assert_max_num_queries(10) as large:
        client.get(reverse("standards:home"))
    assert len(small.captured_queries) == len(large.captured_queries)


def test_home_filters_by_state_item_type_and_level(client, staff):
    draft = VersionFactory(
        standard=StandardFactory(
            item=ApprovalItemFactory(department=staff.department, item_type="20")
        )
    )
    published = VersionFactory(
        standard=StandardFactory(item=ApprovalItemFactory(department=staff.department))
    )
    StandardVersion.objects.filter(pk=published.pk).update(state="published")
    response = client.get(reverse("standards:home"), {"state": "published"})
    assert published.standard.item.name in response.text
    assert draft.standard.item.name not in response.text
    response = client.get(reverse("standards:home"), {"item_type": "20"})
    assert draft.standard.item.name in response.text
    assert published.standard.item.name not in response.text


def test_starting_a_standard_creates_a_first_draft(client, staff):
    item = ApprovalItemFactory(department=staff.department)
    response = client.post(reverse("standards:start", args=[item.basic_code]))
    version = StandardVersion.objects.get(standard__item=item)
    assert response.status_code == 302
    assert (version.number, version.state, version.created_by) == (1, "draft", staff)
    assert client.post(reverse("standards:start", args=[item.basic_code])).status_code == 302
    assert Standard.objects.filter(item=item).count() == 1


def test_a_city_department_starts_items_of_its_provincial_counterpart_at_its_level(client):
    province = Region.objects.get_or_create(
        code="440000", defaults={"name": "广东省", "level": "province"}
    )[0]
    foshan = Region.objects.create(code="440600", name="佛山市", level="city", parent=province)
    provincial = DepartmentFactory(code="440000-scjgj", number="013", region=province)
    city = DepartmentFactory(code="440600-scjgj", number="", region=foshan)
    shared = ApprovalItemFactory(department=provincial, levels="province_city_county")
    province_only = ApprovalItemFactory(department=provincial, levels="province")
    user = UserFactory(department=city)
    user.groups.set([ensure_role_groups()[Role.DEPARTMENT_STAFF]])
    client.force_login(user)
    assert client.post(reverse("standards:start", args=[shared.basic_code])).status_code == 302
    assert (
        client.post(reverse("standards:start", args=[province_only.basic_code])).status_code == 404
    )
    assert Standard.objects.get(item=shared).region == foshan


def test_edit_on_a_published_version_starts_a_draft_copying_every_row(
    client, staff, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    from standards.snapshot import snapshot

    published = VersionFactory(
        standard=StandardFactory(item=ApprovalItemFactory(department=staff.department))
    )
    fill_version(published, rows_per_group=2)
    StandardVersion.objects.filter(pk=published.pk).update(state="published")
    response = client.post(reverse("standards:new_draft", args=[published.pk]))
    draft = StandardVersion.objects.get(standard=published.standard, number=2)
    assert response.status_code == 302
    assert draft.state == "draft"
    assert snapshot(draft)["content"] == snapshot(published)["content"]
    # only one open version at a time
    client.post(reverse("standards:new_draft", args=[published.pk]))
    assert StandardVersion.objects.filter(standard=published.standard).count() == 2


def test_only_published_versions_can_be_copied_into_a_draft(client, staff):
    draft = VersionFactory(
        standard=StandardFactory(item=ApprovalItemFactory(department=staff.department))
    )
    assert client.post(reverse("standards:new_draft", args=[draft.pk])).status_code == 403


def test_item_page_offers_to_start_a_standard(client, staff):
    item = ApprovalItemFactory(department=staff.department)
    response = client.get(reverse("standards:item", args=[item.basic_code]))
    assert response.status_code == 200
    assert reverse("standards:start", args=[item.basic_code]) in response.text
