"""A real sample through the review: submit, start, comment, return, answer, resubmit, approve."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import override_settings
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import (
    Department,
    Region,
    ReviewComment,
    ReviewRound,
    StandardVersion,
    TransitionLog,
)
from standards.registry import REGISTRY
from standards.roles import Role
from standards.services import workflow
from standards.snapshot import snapshot
from tests.standards.test_review_queue import member

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SAMPLE = FIXTURES / "samples" / "food_business_licence.yaml"  # 440605, a district of 佛山市


@pytest.fixture(scope="module")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The catalogue and one sample standard, loaded once for this module, then rolled back."""
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(SAMPLE)
        yield media
        transaction.set_rollback(True)


@pytest.fixture
def version(loaded, db, settings):
    """The sample version, a draft of 南海区市场监督管理局, for each test (rolled back after)."""
    settings.MEDIA_ROOT = loaded
    return StandardVersion.objects.select_related("standard__department").get(
        standard__department__code="440605-scjgj"
    )


@pytest.fixture
def staff(version):
    return member(Role.DEPARTMENT_STAFF, version.standard.department)


@pytest.fixture
def reviewer(version):
    return member(Role.EDITORIAL_REVIEWER, regions=[Region.objects.get(code="440600")])


def act(client, version, action, **data):
    """Post a review action and follow back to the screen, where its messages are shown."""
    url = reverse("standards:review_act", args=[version.pk, action])
    return client.post(url, data, follow=True)


def zh(message):
    """A message as the Chinese-first interface shows it."""
    with translation.override("zh-hans"):
        return str(message)


def state_of(version):
    return StandardVersion.objects.get(pk=version.pk).state


def messages_of(response):
    return [str(m) for m in response.context["messages"]] if response.context else []


def write_comment(client, version, code="B00.08", row_id="", severity="must_fix", text="请修改。"):
    data = {"field_code": code, "row_id": row_id, "reason": "wording", "severity": severity,
            "text": text}  # fmt: skip
    url = reverse("standards:review_comment_add", args=[version.pk])
    return client.post(url, data, follow=True)


def test_a_submitted_sample_is_queued_and_reviewed_to_filing(client, version, staff, reviewer):
    workflow.submit(version=version, user=staff)
    client.force_login(reviewer)
    queue = client.get(reverse("standards:review_queue"))
    assert [row.version.pk for row in queue.context["rows"]] == [version.pk]

    page = client.get(reverse("standards:review", args=[version.pk]))
    assert page.context["page"].actions == ["start_review"]
    assert "approve_filing" not in page.text
    response = act(client, version, "start_review")
    assert response.redirect_chain == [(reverse("standards:review", args=[version.pk]), 302)]
    assert state_of(version) == "in_review"
    assert version.rounds.get().reviewer == reviewer

    page = client.get(reverse("standards:review", args=[version.pk]))
    assert page.context["page"].actions == ["return_for_revision", "approve_filing"]
    assert messages_of(write_comment(client, version, severity="suggestion")) == [
        zh(_("Comment added."))
    ]
    assert messages_of(act(client, version, "approve_filing")) == [
        zh(_("The filing was approved."))
    ]
    assert state_of(version) == "filed"
    assert version.rounds.get().outcome == ReviewRound.Outcome.APPROVED


def test_returning_needs_a_comment_and_keeps_the_note(client, version, staff, reviewer):
    workflow.submit(version=version, user=staff)
    client.force_login(reviewer)
    act(client, version, "start_review")
    response = act(client, version, "return_for_revision", note="请按意见修改。")
    assert state_of(version) == "in_review"
    assert messages_of(response) == [
        zh(_("Write at least one comment before returning the filing."))
    ]

    write_comment(client, version)
    act(client, version, "return_for_revision", note="请按意见修改。")
    assert state_of(version) == "returned"
    assert TransitionLog.objects.filter(version=version).last().reason == "请按意见修改。"
    assert version.rounds.get().outcome == ReviewRound.Outcome.RETURNED


def test_approving_with_a_must_fix_comment_is_refused_with_a_message(
    client, version, staff, reviewer
):
    workflow.submit(version=version, user=staff)
    client.force_login(reviewer)
    act(client, version, "start_review")
    write_comment(client, version, severity="must_fix")
    response = act(client, version, "approve_filing")
    assert state_of(version) == "in_review"
    assert response.status_code == 200
    assert messages_of(response) == [
        zh(_("This round has comments that must be fixed: return the filing."))
    ]


def test_an_action_in_the_wrong_state_is_refused_with_a_message(client, version, staff, reviewer):
    workflow.submit(version=version, user=staff)
    client.force_login(reviewer)
    response = act(client, version, "approve_filing")
    assert state_of(version) == "submitted"
    (message,) = messages_of(response)
    assert zh(StandardVersion.State.SUBMITTED.label) in message
    act(client, version, "start_review")
    response = act(client, version, "start_review")
    assert state_of(version) == "in_review"
    (message,) = messages_of(response)
    assert zh(StandardVersion.State.IN_REVIEW.label) in message


def test_review_actions_outside_the_reviewers_scope_are_refused(client, version, staff):
    workflow.submit(version=version, user=staff)
    client.force_login(member(Role.EDITORIAL_REVIEWER, regions=[Region.objects.get(code="440100")]))
    assert act(client, version, "start_review").status_code == 404
    client.force_login(staff)
    assert act(client, version, "start_review").status_code == 404
    leader = member(Role.DEPARTMENT_LEADER, version.standard.department)
    client.force_login(leader)
    assert act(client, version, "approve_filing").status_code == 404
    assert state_of(version) == "submitted"


def test_unknown_actions_and_get_requests_are_refused(client, version, staff, reviewer):
    workflow.submit(version=version, user=staff)
    client.force_login(reviewer)
    assert act(client, version, "publish").status_code == 404
    url = reverse("standards:review_act", args=[version.pk, "start_review"])
    assert client.get(url).status_code == 405
    assert state_of(version) == "submitted"


def test_a_department_answers_and_the_second_round_shows_the_changes(
    client, version, staff, reviewer
):
    workflow.submit(version=version, user=staff)
    client.force_login(reviewer)
    act(client, version, "start_review")
    materials = snapshot(version)["content"]["material"]
    material = materials[0]["row_id"]
    write_comment(client, version, "B00.08", text="行使内容请写具体。")
    write_comment(client, version, "E05.01", material, text="材料名称请与证照一致。")
    act(client, version, "return_for_revision")
    assert state_of(version) == "returned"

    client.force_login(staff)
    answers = reverse("standards:comments", args=[version.pk])
    page = client.get(answers)
    assert page.status_code == 200
    items = page.context["page"].items
    assert [i.comment.text for i in items] == ["行使内容请写具体。", "材料名称请与证照一致。"]
    assert items[1].row.startswith("1. ")

    # The department edits the content, then answers.
    REGISTRY.group("basic_info").model.objects.filter(version=version).update(
        exercise_content="食品销售经营、餐饮服务经营的许可。"
    )
    by_code = {c.field_code: c for c in ReviewComment.objects.all()}
    fixed = by_code["B00.08"]
    explained = by_code["E05.01"]
    post = reverse("standards:answer_comment", args=[version.pk, fixed.pk])
    assert client.post(post, {f"comment-{fixed.pk}-answer": "fixed"}).status_code == 302
    post = reverse("standards:answer_comment", args=[version.pk, explained.pk])
    data = {f"comment-{explained.pk}-answer": "explained",
            f"comment-{explained.pk}-answer_text": "名称与法规一致。"}  # fmt: skip
    assert client.post(post, data).status_code == 302
    workflow.submit(version=version, user=staff)
    assert state_of(version) == "submitted"

    client.force_login(reviewer)
    screen = client.get(reverse("standards:review", args=[version.pk]))
    page = screen.context["page"]
    assert page.latest.number == 2
    changed = [line for line in page.round_changes if line.label == "行使内容"]
    assert [line.after for line in changed] == ["食品销售经营、餐饮服务经营的许可。"]
    assert "食品销售经营、餐饮服务经营的许可。" in screen.text
    assert "名称与法规一致。" in screen.text


def test_resubmitting_needs_every_comment_answered(client, version, staff, reviewer):
    workflow.submit(version=version, user=staff)
    client.force_login(reviewer)
    act(client, version, "start_review")
    write_comment(client, version)
    act(client, version, "return_for_revision")
    with pytest.raises(workflow.TransitionError):
        workflow.submit(version=version, user=staff)


def test_the_department_of_another_region_gets_404_for_the_answers(client, version, staff):
    other = Department.objects.exclude(pk=version.standard.department_id).first()
    client.force_login(member(Role.DEPARTMENT_STAFF, other))
    assert client.get(reverse("standards:comments", args=[version.pk])).status_code == 404
