"""The department answers the comments of the round that returned its version."""

import pytest
from django.urls import reverse

from standards.models import ReviewComment, ReviewRound, StandardVersion
from standards.registry import REGISTRY
from standards.roles import Role
from standards.snapshot import snapshot
from tests.content import fill_version
from tests.factories import CityFactory, DepartmentFactory, RegionFactory
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
    """A full version returned in round 1 with a comment on a field and one on a row."""
    version = submitted_version(DepartmentFactory(region=city), state="returned", reviewer=reviewer)
    fill_version(version, rows_per_group=2)
    ReviewRound.objects.filter(version=version).update(
        submitted_content=snapshot(version)["content"], outcome="returned"
    )
    return version


@pytest.fixture
def comments(version, reviewer):
    round_ = version.rounds.get()
    material = snapshot(version)["content"]["material"][1]["row_id"]
    on_field = ReviewComment.objects.create(
        review_round=round_, field_code="B00.08", reason="wording", text="行使内容请写具体。",
        author=reviewer,
    )  # fmt: skip
    on_row = ReviewComment.objects.create(
        review_round=round_, field_code="E05.01", row_id=material, reason="needless_certificate",
        severity="suggestion", text="材料名称请与证照一致。", author=reviewer,
    )  # fmt: skip
    return on_field, on_row


@pytest.fixture
def staff(version):
    return member(Role.DEPARTMENT_STAFF, version.standard.department)


def answers(version):
    return reverse("standards:comments", args=[version.pk])


def answer_url(version, comment):
    return reverse("standards:answer_comment", args=[version.pk, comment.pk])


def answer(client, version, comment, value, text=""):
    prefix = f"comment-{comment.pk}"
    data = {f"{prefix}-answer": value, f"{prefix}-answer_text": text}
    return client.post(answer_url(version, comment), data)


def test_each_comment_shows_its_anchor_text_and_a_link_into_the_editor(
    client, version, comments, staff
):
    client.force_login(staff)
    response = client.get(answers(version))
    assert response.status_code == 200
    on_field, on_row = response.context["page"].items
    assert (on_field.field.code, on_field.row) == ("B00.08", "")
    assert (on_row.field.code, on_row.row) == ("E05.01", "2. 材料名称1")
    for text in (
        "行使内容",
        "材料名称",
        "2. 材料名称1",
        "行使内容请写具体。",
        "材料名称请与证照一致。",
    ):
        assert text in response.text
    assert on_field.editor_url == (
        reverse("standards:section", args=[version.pk, "B00"])
        + "#div_id_basic_info-exercise_content"
    )
    assert on_row.editor_url == (
        reverse("standards:section", args=[version.pk, "E05"]) + "#div_id_material-1-name"
    )
    # The anchors are inputs of the editor.
    StandardVersion.objects.filter(pk=version.pk).update(state="returned")
    assert 'id="div_id_basic_info-exercise_content"' in client.get(on_field.editor_url).text
    assert 'id="div_id_material-1-name"' in client.get(on_row.editor_url).text


def test_each_comment_shows_what_changed_in_its_field_since_the_round(
    client, version, comments, staff
):
    REGISTRY.group("basic_info").model.objects.filter(version=version).update(
        exercise_content="新的行使内容"
    )
    client.force_login(staff)
    response = client.get(answers(version))
    on_field, on_row = response.context["page"].items
    (line,) = on_field.changes
    assert (line.label, line.before, line.after) == (
        "行使内容",
        "行使内容的具体内容。",
        "新的行使内容",
    )
    assert on_row.changes == []
    assert "新的行使内容" in response.text


def test_a_removed_row_is_reported_as_the_change(client, version, comments, staff):
    material = comments[1].row_id
    REGISTRY.group("material").model.objects.filter(uid=material).delete()
    client.force_login(staff)
    on_row = client.get(answers(version)).context["page"].items[1]
    assert [line.kind for line in on_row.changes] == ["removed"]
    assert on_row.row == "2. 材料名称1"
    assert on_row.editor_url.endswith("#group-material")


def test_fixed_is_saved(client, version, comments, staff):
    client.force_login(staff)
    response = answer(client, version, comments[0], "fixed")
    assert response.status_code == 302
    assert response["Location"].endswith(f"#c-{comments[0].pk}")
    saved = ReviewComment.objects.get(pk=comments[0].pk)
    assert (saved.answer, saved.answered_by, saved.answered_at is not None) == (
        "fixed",
        staff,
        True,
    )


def test_explained_needs_an_explanation(client, version, comments, staff):
    client.force_login(staff)
    response = answer(client, version, comments[1], "explained", "   ")
    assert response.status_code == 422
    item = response.context["page"].items[1]
    assert list(item.form.errors) == ["answer_text"]
    assert item.form.errors["answer_text"][0] in response.text
    assert "is-invalid" in response.text
    assert ReviewComment.objects.get(pk=comments[1].pk).answer == ""

    assert answer(client, version, comments[1], "explained", "名称与法规一致。").status_code == 302
    saved = ReviewComment.objects.get(pk=comments[1].pk)
    assert (saved.answer, saved.answer_text) == ("explained", "名称与法规一致。")


def test_an_answer_must_be_chosen(client, version, comments, staff):
    client.force_login(staff)
    response = answer(client, version, comments[0], "")
    assert response.status_code == 422
    assert list(response.context["page"].items[0].form.errors) == ["answer"]
    assert ReviewComment.objects.get(pk=comments[0].pk).answer == ""


def test_department_leaders_answer_too_and_may_revise_an_answer(client, version, comments):
    client.force_login(member(Role.DEPARTMENT_LEADER, version.standard.department))
    answer(client, version, comments[0], "explained", "不需修改。")
    answer(client, version, comments[0], "fixed")
    assert ReviewComment.objects.get(pk=comments[0].pk).answer == "fixed"


@pytest.mark.parametrize("state", ["submitted", "in_review", "filed", "draft"])
def test_answering_outside_the_returned_state_is_forbidden(client, version, comments, staff, state):
    StandardVersion.objects.filter(pk=version.pk).update(state=state)
    client.force_login(staff)
    page = client.get(answers(version))
    assert page.status_code == 200
    assert all(item.form is None for item in page.context["page"].items)
    assert answer_url(version, comments[0]) not in page.text
    assert answer(client, version, comments[0], "fixed").status_code == 403
    assert ReviewComment.objects.get(pk=comments[0].pk).answer == ""


def test_another_department_reviewers_and_users_without_a_role_get_404(
    client, version, comments, reviewer
):
    other = member(Role.DEPARTMENT_STAFF, DepartmentFactory(region=version.standard.region))
    for user in (other, reviewer, member(Role.ADMINISTRATOR)):
        client.force_login(user)
        assert client.get(answers(version)).status_code == 404
        assert answer(client, version, comments[0], "fixed").status_code == 404
    assert ReviewComment.objects.get(pk=comments[0].pk).answer == ""


def test_comments_of_an_earlier_round_or_another_version_are_404(
    client, version, comments, staff, reviewer, city
):
    first = version.rounds.get()
    ReviewRound.objects.create(
        version=version, number=2, submitted_by=first.submitted_by, submitted_content={},
        outcome="returned",
    )  # fmt: skip
    client.force_login(staff)
    assert client.get(answers(version)).context["page"].items == []
    assert answer(client, version, comments[0], "fixed").status_code == 404
    elsewhere = submitted_version(DepartmentFactory(region=city), state="returned")
    theirs = ReviewComment.objects.create(
        review_round=elsewhere.rounds.get(), field_code="B00.08", reason="wording", text="x",
        author=reviewer,
    )  # fmt: skip
    assert answer(client, version, theirs, "fixed").status_code == 404


def test_a_version_never_returned_has_nothing_to_answer(client, city):
    version = submitted_version(DepartmentFactory(region=city), state="in_review")
    client.force_login(member(Role.DEPARTMENT_STAFF, version.standard.department))
    response = client.get(answers(version))
    assert response.status_code == 200
    assert response.context["page"].round is None


def test_comment_and_answer_texts_are_escaped(client, version, comments, staff):
    attack = "<script>alert('x')</script>"
    ReviewComment.objects.filter(pk=comments[0].pk).update(text=f"意见{attack}")
    client.force_login(staff)
    answer(client, version, comments[1], "explained", f"说明{attack}")
    StandardVersion.objects.filter(pk=version.pk).update(state="submitted")
    page = client.get(answers(version)).text
    assert attack not in page
    assert "意见&lt;script&gt;" in page
    assert "说明&lt;script&gt;" in page
