"""The library page, a flag's page, the work-list panel and the admin's supersession."""

import datetime

import pytest
from django.urls import reverse

from legal.models import LawChangeFlag, LawVersion
from legal.roles import ensure_library_permissions
from legal.services.amendments import enter_new_version
from legal.services.citations import link_versions
from standards.models import StandardVersion
from standards.roles import Role
from tests.factories import UserFactory
from tests.legal.builders import cite, condition_on, law, person, standard_version

pytestmark = pytest.mark.django_db

State = StandardVersion.State
D2021 = datetime.date(2021, 4, 29)
D2026 = datetime.date(2026, 3, 1)
LIBRARY = reverse("legal:library")


@pytest.fixture
def flagged():
    """A draft citing a law that is then amended: one open flag."""
    record, _versions = law("中华人民共和国食品安全法", [D2021], articles=[35])
    draft = standard_version(state=State.DRAFT)
    row = cite(draft, "《中华人民共和国食品安全法》", "第三十五条", revised=D2021)
    condition_on(draft, row)
    link_versions([draft.pk])
    enter_new_version(
        record,
        document_number="主席令第九十九号",
        issuing_authority="全国人民代表大会常务委员会",
        promulgated_on=D2026,
    )
    return LawChangeFlag.objects.select_related("standard__department", "standard__item").get()


@pytest.mark.parametrize(
    "role", [Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER, Role.EDITORIAL_REVIEWER]
)
def test_staff_of_any_department_and_reviewers_read_the_library(client, role):
    law("中华人民共和国行政许可法", [D2021])
    client.force_login(
        person(
            role, department=None if role == Role.EDITORIAL_REVIEWER else UserFactory().department
        )
    )
    response = client.get(LIBRARY)
    assert response.status_code == 200
    assert "《中华人民共和国行政许可法》" in response.text


def test_anonymous_visitors_are_sent_to_sign_in_and_users_without_a_role_are_refused(client):
    assert client.get(LIBRARY).status_code == 302
    client.force_login(UserFactory(department=None))
    assert client.get(LIBRARY).status_code == 403


def test_the_library_shows_which_published_standards_cite_each_version(client):
    _record, (_version,) = law("中华人民共和国行政许可法", [D2021])
    published = standard_version(state=State.PUBLISHED)
    draft = standard_version(state=State.DRAFT)
    cite(published, "《中华人民共和国行政许可法》", "第二十九条")
    cite(draft, "《中华人民共和国行政许可法》", "第二十九条")
    link_versions([published.pk, draft.pk])
    client.force_login(person(Role.DEPARTMENT_STAFF, published.standard.department))
    response = client.get(LIBRARY)
    assert published.standard.item.name in response.text
    assert draft.standard.item.name not in response.text  # drafts are not shown to others


def test_the_library_text_is_escaped(client):
    law("<script>alert(1)</script>条例", [D2021])
    client.force_login(person(Role.EDITORIAL_REVIEWER))
    response = client.get(LIBRARY)
    assert "<script>alert(1)</script>" not in response.text
    assert "&lt;script&gt;" in response.text


def test_library_page_query_count_is_flat(client, django_assert_max_num_queries):
    client.force_login(person(Role.EDITORIAL_REVIEWER))

    def add(count, start):
        for index in range(start, start + count):
            _record, _versions = law(f"测试条例{index}", [D2021, D2026])
            for version in (standard_version(state=State.PUBLISHED) for _ in range(2)):
                cite(version, f"《测试条例{index}》", "第一条")
                link_versions([version.pk])

    add(2, 0)
    client.get(LIBRARY)  # the first request after signing in also updates the session
    with django_assert_max_num_queries(12) as small:
        assert client.get(LIBRARY).status_code == 200
    add(4, 2)
    with django_assert_max_num_queries(12) as large:
        assert client.get(LIBRARY).status_code == 200
    assert len(small.captured_queries) == len(large.captured_queries)


def test_the_flag_appears_in_the_departments_work_list_only(client, flagged):
    staff = person(Role.DEPARTMENT_STAFF, flagged.standard.department)
    client.force_login(staff)
    response = client.get(reverse("standards:home"))
    assert reverse("legal:flag", args=[flagged.pk]) in response.text
    assert "主席令第九十九号" in response.text

    other = person(Role.DEPARTMENT_STAFF, UserFactory().department)
    client.force_login(other)
    response = client.get(reverse("standards:home"))
    assert reverse("legal:flag", args=[flagged.pk]) not in response.text
    assert client.get(reverse("legal:flag", args=[flagged.pk])).status_code == 404


def test_the_flag_page_lists_the_fields_concerned(client, flagged):
    client.force_login(person(Role.DEPARTMENT_STAFF, flagged.standard.department))
    response = client.get(reverse("legal:flag", args=[flagged.pk]))
    assert response.status_code == 200
    assert "E02.02" in response.text and "E04.03" in response.text
    assert 'name="reason"' not in response.text  # staff may not dismiss


def test_only_the_departments_leader_dismisses_and_a_reason_is_required(client, flagged):
    url = reverse("legal:dismiss_flag", args=[flagged.pk])
    client.force_login(person(Role.DEPARTMENT_STAFF, flagged.standard.department))
    assert client.post(url, {"reason": "无影响"}).status_code == 403

    client.force_login(person(Role.DEPARTMENT_LEADER, UserFactory().department))
    assert client.post(url, {"reason": "无影响"}).status_code == 404

    client.force_login(person(Role.DEPARTMENT_LEADER, flagged.standard.department))
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    flagged.refresh_from_db()
    assert flagged.state == LawChangeFlag.State.OPEN

    response = client.post(url, {"reason": "本次修正未涉及所引条款。"})
    assert response.status_code == 302
    flagged.refresh_from_db()
    assert flagged.state == LawChangeFlag.State.DISMISSED
    assert flagged.dismissal_reason == "本次修正未涉及所引条款。"


def test_entering_a_superseding_version_in_the_admin_flags_the_citing_standards(client):
    record, (old,) = law("中华人民共和国食品安全法", [D2021])
    draft = standard_version(state=State.DRAFT)
    cite(draft, "《中华人民共和国食品安全法》", "第三十五条", revised=D2021)
    link_versions([draft.pk])
    reviewer = person(Role.EDITORIAL_REVIEWER)
    reviewer.is_staff = True
    reviewer.save()
    ensure_library_permissions()
    client.force_login(reviewer)
    response = client.post(
        reverse("admin:legal_lawversion_add"),
        {
            "law": record.pk,
            "document_number": "主席令第九十九号",
            "issuing_authority": "全国人民代表大会常务委员会",
            "promulgated_on": "2026-03-01",
            "effective_on": "2026-06-01",
            "status": "in_force",
            "note": "",
            "supersedes": old.pk,
            "articles-TOTAL_FORMS": "1",
            "articles-INITIAL_FORMS": "0",
            "articles-0-ordinal": "35",
            "articles-0-number": "",
            "articles-0-text": "新的第三十五条",
        },
    )
    assert response.status_code == 302, response.text[:2000]
    old.refresh_from_db()
    assert old.status == LawVersion.Status.AMENDED
    assert old.superseded_by.articles.get().number == "第三十五条"
    assert LawChangeFlag.objects.get().standard == draft.standard


def test_department_staff_cannot_edit_the_library_in_the_admin(client):
    ensure_library_permissions()
    staff = person(Role.DEPARTMENT_STAFF, UserFactory().department)
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get(reverse("admin:legal_lawversion_add")).status_code == 403
