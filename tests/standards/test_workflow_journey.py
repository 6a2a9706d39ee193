"""The whole filing journey through the views, as the people involved click it."""

from pathlib import Path

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client, override_settings
from django.urls import reverse

from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import Material, PublishedSnapshot, Region, ReviewComment, StandardVersion
from standards.roles import Role, ensure_role_groups
from standards.services.editing import registry_section
from standards.snapshot import snapshot
from tests.editor_posting import post_section, section_post_data
from tests.factories import UserFactory

FIXTURES = Path(settings.BASE_DIR) / "fixtures"


@pytest.fixture(scope="module")
def sample(django_db_setup, django_db_blocker, tmp_path_factory):
    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(MEDIA_ROOT=media), transaction.atomic():
        load_reference_data(FIXTURES)
        load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
        yield StandardVersion.objects.get()
        transaction.set_rollback(True)


def browser(role, name, department=None, regions=()):
    user = UserFactory(username=name, department=department)
    user.groups.set([ensure_role_groups()[role]])
    user.reviewed_regions.set(Region.objects.filter(code__in=regions))
    client = Client()
    client.force_login(user)
    return client


def ok(response):
    assert response.status_code in (200, 302), (response.status_code, _problems(response))
    return response


def _problems(response):
    import re

    text = response.content.decode()
    return (
        re.findall(r"(?:invalid-feedback|alert-danger)[^>]*>(.*?)</", text, re.S)[:5] or text[:300]
    )


def state_of(version):
    version.refresh_from_db()
    return version.state


def test_submit_return_answer_fix_approve_confirm_publish_and_supersede(sample, db):
    department = sample.standard.department
    staff = browser(Role.DEPARTMENT_STAFF, "staff", department)
    leader = browser(Role.DEPARTMENT_LEADER, "leader", department)
    reviewer = browser(Role.EDITORIAL_REVIEWER, "reviewer", regions=["440600"])
    act = lambda client, name: ok(client.post(reverse("standards:act", args=[sample.pk, name])))  # noqa: E731
    review = lambda name, data=None: ok(  # noqa: E731
        reviewer.post(reverse("standards:review_act", args=[sample.pk, name]), data or {})
    )

    # 1. staff submit
    act(staff, "submit")
    assert state_of(sample) == "submitted"
    queue = reviewer.get(reverse("standards:review_queue")).text
    assert sample.standard.item.name in queue

    # 2. the reviewer returns it with two anchored comments
    review("start_review")
    material = Material.objects.filter(version=sample).first()
    for data in (
        {"field_code": "E12.12", "row_id": "", "reason": "wording", "severity": "must_fix",
         "text": "办理时间请写明午休时段。"},
        {"field_code": "E05.01", "row_id": str(material.uid), "reason": "wording",
         "severity": "must_fix", "text": "材料名称请与法定名称一致。"},
    ):  # fmt: skip
        ok(reviewer.post(reverse("standards:review_comment_add", args=[sample.pk]), data))
    assert ReviewComment.objects.filter(review_round__version=sample).count() == 2
    review("return_for_revision", {"note": "请按意见修改后重新提交。"})
    assert state_of(sample) == "returned"

    # 3. staff fix the fields and answer each comment, then resubmit
    content = snapshot(sample)["content"]
    content["service"]["E12.12"] = "工作日 9:00-12:00，14:00-17:30"
    sample.refresh_from_db()
    ok(
        post_section(
            staff, sample, "E12", section_post_data(sample, registry_section("E12"), content)
        )
    )
    sample.refresh_from_db()
    renamed = [dict(row) for row in content["material"]]
    renamed[0]["E05.01"] = "食品经营许可申请书（法定格式）"
    ok(
        post_section(
            staff,
            sample,
            "E05",
            section_post_data(sample, registry_section("E05"), {"material": renamed}),
        )
    )
    page = staff.get(reverse("standards:comments", args=[sample.pk]))
    assert "办理时间请写明午休时段。" in page.text
    for note in ReviewComment.objects.filter(review_round__version=sample):
        ok(staff.post(
            reverse("standards:answer_comment", args=[sample.pk, note.pk]),
            {f"comment-{note.pk}-answer": "fixed", f"comment-{note.pk}-answer_text": ""},
        ))  # fmt: skip
    assert not ReviewComment.objects.filter(review_round__version=sample, answer="").exists()
    act(staff, "submit")
    assert state_of(sample) == "submitted"

    # 4. the reviewer sees what changed since the previous round and approves
    review("start_review")
    screen = reviewer.get(reverse("standards:review", args=[sample.pk])).text
    assert "14:00-17:30" in screen
    assert "食品经营许可申请书（法定格式）" in screen
    review("approve_filing")
    assert state_of(sample) == "filed"

    # 5. the leader confirms and publishes
    act(leader, "confirm")
    assert state_of(sample) == "confirmed"
    act(leader, "publish")
    assert state_of(sample) == "published"
    stored = PublishedSnapshot.objects.get(version=sample)
    assert stored.verify()
    assert stored.data["content"] == snapshot(sample)["content"]

    # 6. a new version replaces it
    ok(staff.post(reverse("standards:new_draft", args=[sample.pk])))
    draft = StandardVersion.objects.get(standard=sample.standard, number=2)
    act_on = lambda client, name: ok(client.post(reverse("standards:act", args=[draft.pk, name])))  # noqa: E731
    act_on(staff, "submit")
    for name in ("start_review", "approve_filing"):
        ok(reviewer.post(reverse("standards:review_act", args=[draft.pk, name])))
    act_on(leader, "confirm")
    act_on(leader, "publish")
    assert state_of(draft) == "published"
    assert state_of(sample) == "superseded"
