"""The test world of the security tests: two departments, every role, and their objects.

Department A sits in city A, department B in city B, both under the province.
Every text field of each department's draft carries that owner's *marker*, a
string that appears nowhere else; a response that contains a marker has
disclosed that object's content. The roles mirror the demo users
(standards/loading/demo_users.py): every user may open the admin site
(`is_staff`), so the admin's per-object scoping is exercised too.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field
from typing import Any

from django.utils import timezone

from standards.models import (
    ApprovalItem,
    PublishedSnapshot,
    ReviewComment,
    ReviewRound,
    StandardVersion,
    User,
)
from standards.registry import REGISTRY, FieldType
from standards.roles import Role, ensure_role_groups
from standards.snapshot import SCHEMA_VERSION, snapshot
from subscriptions.models import WebhookDelivery, WebhookSubscription
from tests.content import fill_version, value_for
from tests.factories import (
    ApprovalItemFactory,
    CityFactory,
    DepartmentFactory,
    RegionFactory,
    StandardFactory,
    UserFactory,
    VersionFactory,
)

ROLES = (
    "anonymous",
    "staff_a",
    "leader_a",
    "staff_b",
    "reviewer_a",
    "reviewer_elsewhere",
    "admin",
)
OWNERS = ("a_draft", "b_draft", "published")

MARKERS = {
    "a_draft": "ZQXA草稿甲",
    "b_draft": "ZQXB草稿乙",
    # Only in manual-only fields of the published version: public outputs must not show it.
    "published": "ZQXP手册专用",
}

# Who may read each owner's marked content. Anyone else must never see the marker.
ENTITLED = {
    "a_draft": {"staff_a", "leader_a", "reviewer_a", "admin"},
    "b_draft": {"staff_b", "reviewer_elsewhere", "admin"},
    "published": {"staff_a", "leader_a", "reviewer_a", "admin"},
}


@dataclass
class Owned:
    """One owner's objects, as URL parameters need them."""

    version: StandardVersion
    comment: ReviewComment | None = None
    subscription: WebhookSubscription | None = None
    delivery: WebhookDelivery | None = None
    file_code: str = ""
    file_row: str = ""


@dataclass
class World:
    users: dict[str, User | None]
    owned: dict[str, Owned]
    departments: dict[str, Any] = field(default_factory=dict)


def _person(username: str, role: Role, department: Any = None, regions: tuple = ()) -> User:
    user: User = UserFactory(username=username, department=department, is_staff=True)  # type: ignore[assignment]
    user.groups.set([ensure_role_groups()[role]])
    user.reviewed_regions.set(regions)
    if role is Role.ADMINISTRATOR:
        user.is_superuser = True
        user.save(update_fields=["is_superuser"])
    return user


def mark_text_fields(version: StandardVersion, marker: str, *, manual_only: bool = False) -> None:
    """Put `marker` into every text field of the version (only manual-only ones if asked)."""
    for group in REGISTRY.groups.values():
        for instance in group.model.objects.filter(version=version):
            changed = []
            for f in group.fields:
                if f.type not in (FieldType.TEXT, FieldType.LONGTEXT):
                    continue
                if manual_only and f.in_guide:
                    continue
                value = value_for(f, marker)
                limit = instance._meta.get_field(f.attribute).max_length
                if limit and len(value) > limit:
                    value = marker[:limit]
                setattr(instance, f.attribute, value)
                changed.append(f.attribute)
            if changed:
                instance.save(update_fields=changed)


def _draft(department: Any, staff: User, reviewer: User, marker: str) -> Owned:
    """A returned draft (editable, reviewed once) with a reviewer comment; every text marked."""
    item = ApprovalItemFactory(
        department=department, levels=ApprovalItem.Levels.PROVINCE_CITY_COUNTY
    )
    version: StandardVersion = VersionFactory(  # type: ignore[assignment]
        standard=StandardFactory(item=item, department=department)
    )
    fill_version(version)
    mark_text_fields(version, marker)
    round_ = ReviewRound.objects.create(
        version=version,
        number=1,
        submitted_by=staff,
        submitted_content=snapshot(version)["content"],
        reviewer=reviewer,
        review_started_at=timezone.now(),
        outcome=ReviewRound.Outcome.RETURNED,
        closed_at=timezone.now(),
    )
    comment = ReviewComment.objects.create(
        review_round=round_,
        field_code="B00.08",
        reason="wording",
        text=f"意见{marker}",
        author=reviewer,
    )
    StandardVersion.objects.filter(pk=version.pk).update(state=StandardVersion.State.RETURNED)
    version.refresh_from_db()
    subscription = WebhookSubscription.objects.create(
        url="https://127.0.0.1:9/in",
        description=f"订阅{marker}",
        department=department,
        created_by=staff,
    )
    delivery = WebhookDelivery.objects.create(
        subscription=subscription,
        event_id=f"00000000-0000-4000-8000-{version.pk:012d}",
        event_type="standard.published",
        body=f'{{"marker": "{marker}"}}',
    )
    return Owned(version, comment, subscription, delivery, *_a_file(version))


def _a_file(version: StandardVersion) -> tuple[str, str]:
    data = snapshot(version)["content"]
    for group in REGISTRY.groups.values():
        for f in group.fields:
            if f.type is FieldType.FILE:
                rows = data.get(group.name)
                row = rows[0] if isinstance(rows, list) and rows else rows
                if isinstance(row, dict):
                    return f.code, str(row.get("row_id", "-"))
    return "", ""


def _published(department: Any, leader: User, marker: str) -> Owned:
    item = ApprovalItemFactory(
        department=department, levels=ApprovalItem.Levels.PROVINCE_CITY_COUNTY
    )
    version: StandardVersion = VersionFactory(  # type: ignore[assignment]
        standard=StandardFactory(item=item, department=department)
    )
    fill_version(version)
    mark_text_fields(version, marker, manual_only=True)
    StandardVersion.objects.filter(pk=version.pk).update(
        state=StandardVersion.State.PUBLISHED,
        effective_from=datetime.date(2026, 1, 1),
    )
    version.refresh_from_db()
    PublishedSnapshot.objects.create(
        version=version, schema_version=SCHEMA_VERSION, data=snapshot(version), published_by=leader
    )
    return Owned(version, None, None, None, *_a_file(version))


def build_world() -> World:
    province = RegionFactory()
    city_a = CityFactory(parent=province)
    city_b = CityFactory(parent=province)
    dept_a = DepartmentFactory(region=city_a, name="甲市市场监督管理局")
    dept_b = DepartmentFactory(region=city_b, name="乙市市场监督管理局")
    users: dict[str, User | None] = {
        "anonymous": None,
        "staff_a": _person("sec_staff_a", Role.DEPARTMENT_STAFF, dept_a),
        "leader_a": _person("sec_leader_a", Role.DEPARTMENT_LEADER, dept_a),
        "staff_b": _person("sec_staff_b", Role.DEPARTMENT_STAFF, dept_b),
        "reviewer_a": _person("sec_reviewer_a", Role.EDITORIAL_REVIEWER, regions=(city_a,)),
        "reviewer_elsewhere": _person("sec_reviewer_b", Role.EDITORIAL_REVIEWER, regions=(city_b,)),
        "admin": _person("sec_admin", Role.ADMINISTRATOR),
    }
    owned = {
        "a_draft": _draft(dept_a, users["staff_a"], users["reviewer_a"], MARKERS["a_draft"]),  # type: ignore[arg-type]
        "b_draft": _draft(
            dept_b,
            users["staff_b"],  # type: ignore[arg-type]
            users["reviewer_elsewhere"],  # type: ignore[arg-type]
            MARKERS["b_draft"],
        ),
        "published": _published(dept_a, users["leader_a"], MARKERS["published"]),  # type: ignore[arg-type]
    }
    return World(users, owned, {"a": dept_a, "b": dept_b})


def fingerprint(owned: Owned) -> Any:
    """Everything a state-changing request could alter about one owner's objects."""
    version = StandardVersion.objects.get(pk=owned.version.pk)
    data = snapshot(version)
    result: dict[str, Any] = {
        "state": version.state,
        "number": version.number,
        "content": data["content"],
        "rounds": list(version.rounds.values_list("outcome", "closed_at")),
        "comments": list(
            ReviewComment.objects.filter(review_round__version=version)
            .order_by("pk")
            .values_list("pk", "text", "answer", "answer_text")
        ),
        "published": list(
            PublishedSnapshot.objects.filter(version=version).values_list("pk", "sha256")
        ),
        "drafts": StandardVersion.objects.filter(standard=version.standard).count(),
    }
    if owned.subscription is not None:
        result["subscription"] = list(
            WebhookSubscription.objects.filter(pk=owned.subscription.pk).values_list(
                "url", "description", "is_active", "secret"
            )
        )
        result["deliveries"] = list(
            WebhookDelivery.objects.filter(subscription_id=owned.subscription.pk)
            .order_by("pk")
            .values_list("pk", "status", "attempt_count")
        )
    return result
