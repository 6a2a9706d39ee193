"""A small province → city → county world with standards in every state.

Versions are given their state directly (as the factories allow) and
published ones get their PublishedSnapshot the way `workflow.publish` stores
it, from `standards.snapshot.snapshot`. Content rows are created only for the
groups the dashboard reads, so each test states exactly what it counts.
"""

from __future__ import annotations

import datetime
from collections.abc import Sequence
from typing import Any

from django.utils import timezone

from standards.models import (
    ApprovalItem,
    PublishedSnapshot,
    Region,
    ReviewComment,
    ReviewRound,
    StandardVersion,
)
from standards.models.elements import (
    Fee,
    FeeItem,
    IntermediaryService,
    LegalBasis,
    Material,
    TimeLimit,
)
from standards.roles import Role, ensure_role_groups
from standards.snapshot import SCHEMA_VERSION, snapshot
from tests.factories import (
    ApprovalItemFactory,
    DepartmentFactory,
    RegionFactory,
    StandardFactory,
    UserFactory,
    VersionFactory,
)

State = StandardVersion.State


def regions() -> dict[str, Any]:
    province = RegionFactory()
    city = RegionFactory(code="440600", name="佛山市", level=Region.Level.CITY, parent=province)
    county = RegionFactory(code="440605", name="南海区", level=Region.Level.COUNTY, parent=city)
    other_city = RegionFactory(
        code="440100", name="广州市", level=Region.Level.CITY, parent=province
    )
    return {"province": province, "city": city, "county": county, "other_city": other_city}


def person(role: str, *, department: Any = None, reviews: Sequence[Region] = ()) -> Any:
    user: Any = UserFactory(department=department)
    user.groups.set([ensure_role_groups()[Role(role)]])
    user.reviewed_regions.set(reviews)
    return user


def standard(
    department: Any, *, levels: str = ApprovalItem.Levels.PROVINCE_CITY_COUNTY, item: Any = None
) -> Any:
    item = item or ApprovalItemFactory(department=department, levels=levels)
    return StandardFactory(item=item, department=department, region=department.region)


def version(
    std: Any,
    state: str,
    *,
    number: int = 1,
    materials: Sequence[str] = (),
    statutory: tuple[int, str] | None = None,
    promised: tuple[int, str] | None = None,
    charged: bool = False,
    fee_items: int = 0,
    intermediaries: int = 0,
    basis: Sequence[tuple[str, str]] = (),
    publisher: Any = None,
) -> StandardVersion:
    """A version in `state` with the content the dashboard and the checks read."""
    v: Any = VersionFactory(standard=std, number=number, state=state)
    for position, name in enumerate(materials):
        Material.objects.create(version=v, name=name, position=position)
    limit = TimeLimit.objects.create(
        version=v,
        statutory_limit=statutory[0] if statutory else None,
        statutory_limit_unit=statutory[1] if statutory else "",
        promised_limit=promised[0] if promised else None,
        promised_limit_unit=promised[1] if promised else "",
    )
    rows = [
        LegalBasis.objects.create(version=v, law_name=law, article_number=article, position=i)
        for i, (law, article) in enumerate(basis)
    ]
    limit.statutory_limit_basis.set(rows)
    Fee.objects.create(version=v, is_charged=charged)
    for position in range(fee_items):
        FeeItem.objects.create(version=v, name=f"收费{position}", position=position)
    for position in range(intermediaries):
        IntermediaryService.objects.create(
            version=v, service_name=f"中介{position}", position=position
        )
    if state in (State.PUBLISHED, State.SUPERSEDED, State.WITHDRAWN):
        v.effective_from = timezone.localdate()
        v.save(update_fields=["effective_from"])
        PublishedSnapshot.objects.create(
            version=v,
            schema_version=SCHEMA_VERSION,
            data=snapshot(v),
            published_by=publisher or _someone(),
        )
    return v


def review_round(
    v: StandardVersion,
    number: int,
    *,
    hours: float | None,
    outcome: str = ReviewRound.Outcome.RETURNED,
    reasons: Sequence[str] = (),
    user: Any = None,
) -> ReviewRound:
    """A round submitted at a fixed time and decided `hours` later (open when None)."""
    user = user or UserFactory()
    submitted = timezone.make_aware(datetime.datetime(2026, 3, 1, 9, 0)) + datetime.timedelta(
        days=number
    )
    closed = None if hours is None else submitted + datetime.timedelta(hours=hours)
    round_ = ReviewRound.objects.create(
        version=v,
        number=number,
        submitted_by=user,
        submitted_at=submitted,
        submitted_content={},
        outcome=ReviewRound.Outcome.OPEN if hours is None else outcome,
        closed_at=closed,
    )
    for reason in reasons:
        ReviewComment.objects.create(
            review_round=round_, field_code="E05.01", reason=reason, text="请修改", author=user
        )
    return round_


def _someone() -> Any:
    return UserFactory()


def department(region: Region, name: str | None = None) -> Any:
    return DepartmentFactory(region=region, **({"name": name} if name else {}))
