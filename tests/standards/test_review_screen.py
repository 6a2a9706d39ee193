"""The review screen: the submitted standard read-only, findings, comments and their anchors."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from standards.models import ReviewComment, ReviewRound, StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role
from standards.rules import run_rules
from standards.snapshot import snapshot
from tests.content import fill_version
from tests.factories import (
    CityFactory,
    DepartmentFactory,
    RegionFactory,
    UserFactory,
    VersionFactory,
)
from tests.standards.test_review_queue import member, submitted_version

pytestmark = pytest.mark.django_db


@pytest.fixture
def city():
    return CityFactory(code="440600", name="佛山市", parent=RegionFactory())


@pytest.fixture
def reviewer(city):
    return member(Role.EDITORIAL_REVIEWER, regions=[city])


@pytest.fixture
def version(city, reviewer):
    """A full version in review: round 1 holds its content as submitted."""
    version = submitted_version(
        DepartmentFactory(region=city), state="in_review", reviewer=reviewer
    )
    fill_version(version, rows_per_group=2)
    ReviewRound.objects.filter(version=version).update(
        submitted_content=snapshot(version)["content"]
    )
    return version


def screen(version):
    return reverse("standards:review", args=[version.pk])


def add_url(version):
    return reverse("standards:review_comment_add", args=[version.pk])


def rows(version, group):
    return snapshot(version)["content"][group]


def field_view(response, code, row_id=""):
    for section in response.context["page"].sections:
        for group in section.groups:
            candidates = group.fields + [f for r in group.rows for f in r.fields]
            for view in candidates:
                if view.field.code == code and view.row_id == row_id:
                    return view
    raise AssertionError(f"{code} {row_id} is not on the screen")


def comment(version, author, code="B00.08", row_id="", text="请补充行使内容。", **extra):
    return ReviewComment.objects.create(
        review_round=version.rounds.order_by("-number").first(),
        field_code=code,
        row_id=row_id,
        reason=ReviewComment.Reason.WORDING,
        text=text,
        author=author,
        **extra,
    )


# Access ---------------------------------------------------------------------


def test_reviewers_of_other_regions_get_404(client, version):
    other = CityFactory(code="440100", parent=RegionFactory())
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[other]))
    assert client.get(screen(version)).status_code == 404
    assert client.post(add_url(version), {}).status_code == 404


def test_department_staff_and_users_without_a_role_get_404(client, version):
    client.force_login(member(Role.DEPARTMENT_STAFF, version.standard.department))
    assert client.get(screen(version)).status_code == 404
    client.force_login(member(Role.DEPARTMENT_LEADER, version.standard.department))
    assert client.get(screen(version)).status_code == 404
    client.force_login(member(Role.ADMINISTRATOR))
    assert client.get(screen(version)).status_code == 404
    client.force_login(UserFactory())
    assert client.get(screen(version)).status_code == 404


def test_a_draft_never_submitted_is_not_shown_to_reviewers(client, city, reviewer):
    draft = VersionFactory(standard__item__department=DepartmentFactory(region=city))
    client.force_login(reviewer)
    assert client.get(screen(draft)).status_code == 404


def test_anonymous_users_are_sent_to_sign_in(client, version):
    response = client.get(screen(version))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


# Content --------------------------------------------------------------------


def test_the_whole_standard_is_shown_section_by_section(client, version, reviewer):
    client.force_login(reviewer)
    response = client.get(screen(version))
    assert response.status_code == 200
    for section in REGISTRY.sections:
        assert f'id="s-{section.code}"' in response.text
    # Every field of every row is there, read-only.
    content = snapshot(version)["content"]
    for group in REGISTRY.groups.values():
        for row in content[group.name] if group.repeats else [None]:
            for field in group.fields:
                field_view(response, field.code, row["row_id"] if row else "")
    sections = response.text.split('id="s-B00"')[1].split("<aside")[0]
    for control in ("<input", "<textarea", "<select"):
        assert control not in sections


def test_codes_are_shown_as_labels_and_references_as_the_rows_names(client, version, reviewer):
    client.force_login(reviewer)
    response = client.get(screen(version))
    assert field_view(response, "B00.04").text == "行政许可"
    condition = rows(version, "condition")[0]["row_id"]
    proving = field_view(response, "E04.08", condition)
    assert proving.text == "1. 材料名称0、2. 材料名称1"
    assert "1. 材料名称0、2. 材料名称1" in response.text
    material = rows(version, "material")[1]["row_id"]
    assert f'id="r-{material}"' in response.text
    assert "2. 材料名称1" in response.text


def test_findings_are_shown_beside_their_fields_and_in_a_summary(client, version, reviewer):
    findings = run_rules(snapshot(version))
    assert findings
    client.force_login(reviewer)
    response = client.get(screen(version))
    page = response.context["page"]
    assert [f.rule_id for f in page.findings] == [f.rule_id for f in findings]
    single = next(f for f in findings if not REGISTRY[f.codes[0]].repeats)
    assert single in field_view(response, single.codes[0]).findings
    in_row = next(f for f in findings if f.row_id and REGISTRY[f.codes[0]].group == f.group)
    assert in_row in field_view(response, in_row.codes[0], in_row.row_id).findings
    summary = response.text.split('id="findings"')[1].split("</details>")[0]
    for finding in findings:
        assert finding.rule_id in summary


def test_comments_are_listed_beside_their_field_and_row(client, version, reviewer):
    material = rows(version, "material")[1]["row_id"]
    on_field = comment(version, reviewer, "B00.08", text="行使内容过于笼统。")
    on_row = comment(version, reviewer, "E05.01", material, text="材料名称不规范。")
    client.force_login(reviewer)
    response = client.get(screen(version))
    assert [c.comment for c in field_view(response, "B00.08").comments] == [on_field]
    assert [c.comment for c in field_view(response, "E05.01", material).comments] == [on_row]
    first_material = rows(version, "material")[0]["row_id"]
    assert field_view(response, "E05.01", first_material).comments == []
    row_html = response.text.split(f'id="f-E05.01-{material}"')[1].split('class="review-field')[0]
    assert "材料名称不规范。" in row_html


def test_a_comment_on_a_row_no_longer_there_is_listed_apart(client, version, reviewer):
    gone = comment(version, reviewer, "E05.01", "00000000-0000-0000-0000-000000000000")
    client.force_login(reviewer)
    response = client.get(screen(version))
    assert [c.comment for c in response.context["page"].unplaced] == [gone]
    assert 'id="unplaced"' in response.text


# Writing comments -----------------------------------------------------------


def test_a_comment_on_a_field_is_saved_and_shown(client, version, reviewer):
    client.force_login(reviewer)
    response = client.post(
        add_url(version),
        {"field_code": "B00.08", "row_id": "", "reason": "wording", "severity": "suggestion",
         "text": "请写明行使层级。"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith("#f-B00.08")
    saved = ReviewComment.objects.get()
    assert (saved.field_code, saved.row_id, saved.author, saved.severity) == (
        "B00.08", "", reviewer, "suggestion",
    )  # fmt: skip
    assert saved.review_round == version.rounds.get()
    assert "请写明行使层级。" in client.get(screen(version)).text


def test_a_comment_on_a_row_is_anchored_to_that_row(client, version, reviewer):
    material = rows(version, "material")[1]["row_id"]
    client.force_login(reviewer)
    response = client.post(
        add_url(version),
        {"field_code": "E05.01", "row_id": material, "reason": "needless_certificate",
         "severity": "must_fix", "text": "该证明应通过数据共享获取。"},
    )  # fmt: skip
    assert response.status_code == 302
    assert response["Location"].endswith(f"#f-E05.01-{material}")
    assert ReviewComment.objects.get().row_id == material


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"field_code": "Z99.99"}, "field_code"),
        ({"field_code": "E05.01", "row_id": "not-a-row"}, "row_id"),
        ({"field_code": "E05.01", "row_id": "LEGAL_BASIS_ROW"}, "row_id"),
        ({"field_code": "E05.01", "row_id": ""}, "row_id"),
        ({"field_code": "B00.08", "row_id": "MATERIAL_ROW"}, "row_id"),
        ({"text": ""}, "text"),
        ({"text": "   "}, "text"),
        ({"reason": "because"}, "reason"),
        ({"severity": "urgent"}, "severity"),
    ],
)
def test_bad_comments_are_refused_at_the_field_and_nothing_is_saved(
    client, version, reviewer, change, field
):
    placeholders = {
        "LEGAL_BASIS_ROW": rows(version, "legal_basis")[0]["row_id"],
        "MATERIAL_ROW": rows(version, "material")[0]["row_id"],
    }
    data = {"field_code": "B00.08", "row_id": "", "reason": "wording", "severity": "must_fix",
            "text": "意见"}  # fmt: skip
    data.update({k: placeholders.get(v, v) for k, v in change.items()})
    client.force_login(reviewer)
    response = client.post(add_url(version), data)
    assert response.status_code == 422
    form = response.context["comment_form"]
    assert list(form.errors) == [field]
    assert ReviewComment.objects.count() == 0
    assert "alert-danger" in response.text  # the message above the page
    assert "is-invalid" in response.text  # and the field marked
    assert form.errors[field][0] in response.text


def test_the_add_comment_links_prefill_the_anchor(client, version, reviewer):
    material = rows(version, "material")[1]["row_id"]
    client.force_login(reviewer)
    response = client.get(screen(version))
    assert f"?field=E05.01&amp;row={material}#comment-form" in response.text
    assert "?field=B00.08#comment-form" in response.text
    prefilled = client.get(screen(version), {"field": "E05.01", "row": material})
    form = prefilled.context["comment_form"]
    assert form["field_code"].value() == "E05.01"
    assert form["row_id"].value() == material
    assert f'<option value="{material}" selected>' in prefilled.text


def test_no_comments_before_the_review_has_started(client, version, reviewer):
    StandardVersion.objects.filter(pk=version.pk).update(state="submitted")
    client.force_login(reviewer)
    response = client.get(screen(version))
    assert response.context["comment_form"] is None
    assert 'id="comment-form"' not in response.text
    data = {"field_code": "B00.08", "reason": "wording", "severity": "must_fix", "text": "意见"}
    assert client.post(add_url(version), data).status_code == 403
    assert ReviewComment.objects.count() == 0


def test_reviewers_delete_their_own_comments_while_the_round_is_open(client, version, reviewer):
    mine = comment(version, reviewer)
    theirs = comment(version, member(Role.EDITORIAL_REVIEWER, regions=[]))
    client.force_login(reviewer)
    page = client.get(screen(version)).text
    delete = reverse("standards:review_comment_delete", args=[version.pk, mine.pk])
    assert delete in page
    assert reverse("standards:review_comment_delete", args=[version.pk, theirs.pk]) not in page
    assert client.post(delete).status_code == 302
    assert not ReviewComment.objects.filter(pk=mine.pk).exists()
    other = reverse("standards:review_comment_delete", args=[version.pk, theirs.pk])
    assert client.post(other).status_code == 403
    assert ReviewComment.objects.filter(pk=theirs.pk).exists()


def test_comments_of_a_closed_round_cannot_be_deleted(client, version, reviewer):
    mine = comment(version, reviewer)
    ReviewRound.objects.filter(version=version).update(outcome="returned")
    StandardVersion.objects.filter(pk=version.pk).update(state="returned")
    client.force_login(reviewer)
    delete = reverse("standards:review_comment_delete", args=[version.pk, mine.pk])
    assert delete not in client.get(screen(version)).text
    assert client.post(delete).status_code == 403
    assert ReviewComment.objects.filter(pk=mine.pk).exists()


def test_a_comment_of_another_version_is_404(client, version, reviewer, city):
    elsewhere = submitted_version(DepartmentFactory(region=city), state="in_review")
    theirs = comment(elsewhere, reviewer)
    client.force_login(reviewer)
    delete = reverse("standards:review_comment_delete", args=[version.pk, theirs.pk])
    assert client.post(delete).status_code == 404


def test_comment_posts_need_csrf(version, reviewer):
    from django.test import Client

    browser = Client(enforce_csrf_checks=True)
    browser.force_login(reviewer)
    assert browser.post(add_url(version), {}).status_code == 403


# Escaping -------------------------------------------------------------------


def test_user_text_is_escaped(client, version, reviewer):
    attack = "<script>alert('x')</script>"
    REGISTRY.group("basic_info").model.objects.filter(version=version).update(
        exercise_content=f"内容{attack}"
    )
    ReviewRound.objects.filter(version=version).update(
        submitted_content=snapshot(version)["content"]
    )
    comment(version, reviewer, text=f"意见{attack}")
    client.force_login(reviewer)
    page = client.get(screen(version)).text
    assert attack not in page
    assert "内容&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page
    assert "意见&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in page


# Round 2 --------------------------------------------------------------------


def test_round_two_shows_what_changed_beside_the_comments_of_round_one(client, version, reviewer):
    material = rows(version, "material")[1]["row_id"]
    first = version.rounds.get()
    on_field = comment(version, reviewer, "B00.08", answer="fixed")
    on_row = comment(version, reviewer, "E05.01", material, answer="fixed")
    untouched = comment(version, reviewer, "B00.19", answer="explained", answer_text="确需到场。")
    ReviewRound.objects.filter(pk=first.pk).update(outcome="returned")
    REGISTRY.group("basic_info").model.objects.filter(version=version).update(
        exercise_content="新的行使内容"
    )
    REGISTRY.group("material").model.objects.filter(uid=material).update(name="营业执照")
    ReviewRound.objects.create(
        version=version,
        number=2,
        submitted_by=first.submitted_by,
        submitted_content=snapshot(version)["content"],
    )
    StandardVersion.objects.filter(pk=version.pk).update(state="submitted")
    client.force_login(reviewer)
    response = client.get(screen(version))
    page = response.context["page"]
    assert (page.previous.number, page.latest.number) == (1, 2)

    beside = field_view(response, "B00.08").comments
    assert [c.comment for c in beside] == [on_field]
    (line,) = beside[0].changes
    assert (line.label, line.before, line.after) == (
        "行使内容",
        "行使内容的具体内容。",
        "新的行使内容",
    )
    (row_line,) = field_view(response, "E05.01", material).comments[0].changes
    assert (row_line.before, row_line.after, row_line.row) == (
        "材料名称1",
        "营业执照",
        "2. 营业执照",
    )
    assert field_view(response, "B00.19").comments[0].changes == []
    assert untouched.answer_text in response.text

    listed = response.text.split('id="round-changes"')[1].split("</details>")[0]
    assert "行使内容的具体内容。" in listed and "新的行使内容" in listed
    assert "营业执照" in listed
    assert len(page.round_changes) == 2
    assert on_row.text in response.text


# Cost -----------------------------------------------------------------------


def _screen_queries(client, city, reviewer, rows_per_group):
    version = submitted_version(
        DepartmentFactory(region=city), state="in_review", reviewer=reviewer
    )
    fill_version(version, rows_per_group=rows_per_group)
    ReviewRound.objects.filter(version=version).update(
        submitted_content=snapshot(version)["content"]
    )
    for row in snapshot(version)["content"]["material"]:
        comment(version, reviewer, "E05.01", row["row_id"])
    with CaptureQueriesContext(connection) as queries:
        assert client.get(screen(version)).status_code == 200
    return len(queries.captured_queries)


def test_the_screen_costs_the_same_queries_for_more_rows_and_comments(client, city, reviewer):
    client.force_login(reviewer)
    few = _screen_queries(client, city, reviewer, 1)
    many = _screen_queries(client, city, reviewer, 3)
    assert few == many
    assert few <= 15
