"""The public home page."""

import pytest
from django.urls import reverse

from standards.models import StandardVersion
from tests.factories import ApprovalItemFactory, DepartmentFactory, VersionFactory

pytestmark = pytest.mark.django_db


def test_home_page_lists_departments_with_their_item_counts(client):
    department = DepartmentFactory(name="广东省市场监督管理局")
    ApprovalItemFactory.create_batch(3, department=department)
    response = client.get(reverse("guides:home"))
    assert response.status_code == 200
    assert "广东省市场监督管理局" in response.text
    assert response.context["item_count"] == 3
    assert 'lang="zh-Hans"' in response.text
    assert "共 1 个省直部门的 3 项审批事项" in response.text


def test_home_page_query_count_does_not_grow_with_departments(client, django_assert_num_queries):
    for _ in range(2):
        ApprovalItemFactory()
    with django_assert_num_queries(3):
        client.get(reverse("guides:home"))
    for _ in range(10):
        ApprovalItemFactory()
    with django_assert_num_queries(3):
        client.get(reverse("guides:home"))


def test_home_page_shows_no_draft_content(client):
    version = VersionFactory(change_note="内部草稿说明")
    assert version.state == StandardVersion.State.DRAFT
    response = client.get(reverse("guides:home"))
    assert "内部草稿说明" not in response.text


def test_the_browser_language_does_not_override_chinese(client):
    ApprovalItemFactory()
    response = client.get(reverse("guides:home"), headers={"accept-language": "en-US,en"})
    assert 'lang="zh-Hans"' in response.text


def test_english_interface_is_available_by_choice(client):
    ApprovalItemFactory()
    switched = client.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert switched.status_code == 302
    response = client.get(reverse("guides:home"))
    assert 'lang="en"' in response.text
    assert "1 approval items of 1 provincial departments." in response.text


def test_department_names_are_escaped(client):
    ApprovalItemFactory(department=DepartmentFactory(name="<script>alert(1)</script>厅"))
    response = client.get(reverse("guides:home"))
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text
