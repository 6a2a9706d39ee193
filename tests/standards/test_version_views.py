"""The compare and history pages: who may see them, what they show, what they cost."""

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from standards.models import (
    PublishedSnapshot,
    ReviewComment,
    ReviewRound,
    StandardVersion,
    TransitionLog,
)
from standards.roles import Role, ensure_role_groups
from standards.services.drafting import new_draft_from
from standards.services.editing import registry_section
from standards.snapshot import snapshot
from tests.content import fill_version
from tests.editor_posting import post_section, section_post_data
from tests.factories import DepartmentFactory, UserFactory, VersionFactory

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def member(department, role=Role.DEPARTMENT_STAFF, name="staff", **names):
    user = UserFactory(username=name, department=department, **names)
    user.groups.set([ensure_role_groups()[role]])
    return user


def client_of(user):
    browser = Client()
    browser.force_login(user)
    return browser


def publish(version, user):
    """Test setup only: the workflow services move the state in real use."""
    StandardVersion.objects.filter(pk=version.pk).update(state="published")
    PublishedSnapshot.objects.create(
        version=version, schema_version=1, data=snapshot(version), published_by=user
    )
    version.refresh_from_db()


def compare_url(version, **query):
    url = reverse("standards:compare", args=[version.standard_id])
    return url + ("?" + "&".join(f"{k}={v}" for k, v in query.items()) if query else "")


def history_url(version):
    return reverse("standards:history", args=[version.pk])


@pytest.fixture
def edited():
    """v1 published; v2 copied from it and edited through the editor by 王小明."""
    first = VersionFactory()
    fill_version(first)
    staff = member(first.standard.department, first_name="小明", last_name="王")
    publish(first, staff)
    second = new_draft_from(version=first, user=staff)
    content = snapshot(second)["content"]
    content["time_limit"]["E06.05"] = 10
    content["time_limit"]["E06.07"] = "<script>alert(1)</script>"
    browser = client_of(staff)
    data = section_post_data(second, registry_section("E06"), content)
    response = post_section(browser, second, "E06", data)
    assert response.status_code == 302
    return first, second, staff, browser


def test_anonymous_users_are_sent_to_log_in(edited):
    first, second, *_ = edited
    for url in (compare_url(first), history_url(second)):
        response = Client().get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


@pytest.mark.parametrize("role", [Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER])
def test_another_department_gets_404(edited, role):
    first, second, *_ = edited
    outsider = client_of(member(DepartmentFactory(), role, name="outsider"))
    assert outsider.get(compare_url(first)).status_code == 404
    assert outsider.get(history_url(second)).status_code == 404


def test_a_reviewer_gets_404(edited):
    first, second, *_ = edited
    reviewer = client_of(member(None, Role.EDITORIAL_REVIEWER, name="reviewer"))
    assert reviewer.get(compare_url(first)).status_code == 404
    assert reviewer.get(history_url(second)).status_code == 404


def test_the_department_leader_sees_both_pages(edited):
    first, second, *_ = edited
    leader = client_of(member(first.standard.department, Role.DEPARTMENT_LEADER, name="leader"))
    assert leader.get(compare_url(first)).status_code == 200
    assert leader.get(history_url(second)).status_code == 200


def test_versions_of_another_standard_or_nonsense_are_404(edited):
    first, _second, _staff, browser = edited
    other = VersionFactory(standard__department=first.standard.department)
    assert browser.get(compare_url(first, a=other.pk)).status_code == 404
    assert browser.get(compare_url(first, b="x")).status_code == 404
    assert browser.get(compare_url(other)).status_code == 200  # one version: nothing to compare


def test_compare_defaults_to_the_published_version_against_the_latest(edited):
    first, second, _staff, browser = edited
    page = browser.get(compare_url(first))
    assert page.status_code == 200
    assert page.context["before"] == first
    assert page.context["after"] == second
    text = page.content.decode()
    assert "审批时限" in text
    assert re.search(
        r"承诺办结时限</span>: <del[^>]*>3 个工作日</del> → <ins[^>]*>10 个工作日", text
    )
    assert "承诺办结时限由 3 个工作日延长为 10 个工作日" in text  # the change note
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text


def test_compare_either_way_round(edited):
    first, second, _staff, browser = edited
    text = browser.get(compare_url(first, a=second.pk, b=first.pk)).content.decode()
    assert "承诺办结时限由 10 个工作日缩短为 3 个工作日" in text


def test_history_shows_who_changed_which_field(edited):
    _first, second, _staff, browser = edited
    page = browser.get(history_url(second))
    assert page.status_code == 200
    edits = [e for e in page.context["events"] if e.kind == "edit"]
    assert len(edits) == 1
    assert edits[0].who == "小明 王"
    changed = [
        (f.label, f.before, f.after) for g in edits[0].groups for r in g.rows for f in r.fields
    ]
    # Only what the editor changed: the row was copied from v1, which is the baseline.
    assert changed == [
        ("承诺办结时限", "3 个工作日", "10 个工作日"),
        ("承诺办结时限说明", "承诺办结时限说明的具体内容。", "<script>alert(1)</script>"),
    ]
    text = page.content.decode()
    assert "小明 王" in text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text
    assert "<script>alert(1)" not in text


def test_history_lists_rows_added_and_removed_through_the_editor(edited):
    _first, second, _staff, browser = edited
    content = snapshot(second)["content"]
    removed = content["faq"][0]["E12.20"]
    content["faq"].append({"row_id": "new", "E12.20": "能否网上办理？", "E12.21": "可以。"})
    second.refresh_from_db()
    data = section_post_data(second, registry_section("E12"), content)
    data["faq-0-DELETE"] = "on"  # the existing row comes first; the "remove" toggle
    response = post_section(browser, second, "E12", data)
    assert response.status_code == 302
    events = browser.get(history_url(second)).context["events"]
    latest = events[0]
    rows = {(r.kind, r.name) for g in latest.groups for r in g.rows if g.label == "常见问题"}
    assert rows == {("added", "能否网上办理？"), ("removed", removed)}


def test_history_shows_transitions_and_review_rounds(edited):
    _first, second, staff, browser = edited
    reviewer = member(None, Role.EDITORIAL_REVIEWER, name="reviewer", first_name="审查员")
    TransitionLog.objects.create(
        version=second, action="submit", from_state="draft", to_state="submitted", actor=staff
    )
    TransitionLog.objects.create(
        version=second,
        action="return_for_revision",
        from_state="in_review",
        to_state="returned",
        actor=reviewer,
        reason="时限依据不足<b>",
    )
    review = ReviewRound.objects.create(
        version=second,
        number=1,
        submitted_by=staff,
        submitted_content={},
        reviewer=reviewer,
        outcome=ReviewRound.Outcome.RETURNED,
    )
    special = second.rows("special_procedure").get()
    ReviewComment.objects.create(
        review_round=review,
        field_code="E06.13",
        row_id=str(special.uid),
        reason=ReviewComment.Reason.TIME_LIMIT,
        text="所需时限过长",
        author=reviewer,
        answer=ReviewComment.Answer.FIXED,
        answer_text="已缩短为 5 个工作日",
        answered_by=staff,
        answered_at=timezone.now(),
    )
    page = browser.get(history_url(second))
    kinds = [event.kind for event in page.context["events"]]
    assert kinds.count("transition") == 2
    assert kinds.count("round") == 1
    text = page.content.decode()
    assert "时限依据不足&lt;b&gt;" in text
    assert "所需时限过长" in text
    assert "已缩短为 5 个工作日" in text
    assert "所需时限</span> (特别程序说明的具体内容0。)" in text  # field label and row name
    assert "审查员" in text


def _queries(browser, url):
    with CaptureQueriesContext(connection) as queries:
        assert browser.get(url).status_code == 200
    return len(queries)


def _two_versions(rows, edits, department):
    first = VersionFactory(standard__department=department)
    fill_version(first, rows_per_group=rows)
    user = UserFactory(username=f"u{rows}", department=department)
    publish(first, user)
    second = new_draft_from(version=first, user=user)
    for number in range(edits):
        for row in second.rows("material"):
            row.name = f"材料{number}"
            row.save()
    return first, second


def test_query_counts_do_not_grow_with_rows_or_edits():
    department = DepartmentFactory()
    browser = client_of(member(department))
    small = _two_versions(1, 1, department)
    large = _two_versions(4, 3, department)
    _queries(browser, compare_url(small[0]))  # warm up per-process caches
    assert _queries(browser, compare_url(small[0])) == _queries(browser, compare_url(large[0]))
    assert _queries(browser, history_url(small[1])) == _queries(browser, history_url(large[1]))
    assert _queries(browser, history_url(small[0])) == _queries(browser, history_url(large[0]))


def test_history_names_referenced_rows(edited):
    _first, second, _staff, browser = edited
    content = snapshot(second)["content"]
    content["time_limit"]["E06.04"] = []  # 法定时限依据: drop the legal basis
    second.refresh_from_db()
    data = section_post_data(second, registry_section("E06"), content)
    assert post_section(browser, second, "E06", data).status_code == 302
    latest = browser.get(history_url(second)).context["events"][0]
    changed = [
        (f.label, f.before, f.after) for g in latest.groups for r in g.rows for f in r.fields
    ]
    assert changed == [("法定时限依据", "法律法规名称0", "（空）")]
