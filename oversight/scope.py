"""Whose figures a user sees on the dashboard — decided once, applied in every query.

Editorial reviewers see the regions they review and the regions below them
(the same rule as the filing review, `standards.views.review_access`);
department leaders see their own department only. Everyone else — department
staff, administrators without a reviewer role, anonymous users — sees nothing:
the view refuses them before any figure is computed.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet

from standards.access import roles_of
from standards.models import Department, Region, Standard
from standards.roles import Role
from standards.views.review_access import REGION_DEPTH


@dataclass(frozen=True)
class Scope:
    """The regions (reviewer) or the department (leader) a dashboard covers."""

    reviewer_id: int | None = None
    department_id: int | None = None

    def standards(self, prefix: str = "") -> Q:
        """Objects whose standard (at `prefix`, e.g. "version__standard__") is in scope."""
        if self.department_id is not None:
            return Q(**{f"{prefix}department_id": self.department_id})
        reviewed = Region.objects.filter(reviewers=self.reviewer_id).values("pk")
        return _at_or_below(reviewed, f"{prefix}region")

    def regions(self) -> QuerySet[Region]:
        """The regions in scope: reviewed ones and below, or the department's and below."""
        tops: QuerySet[Any, Any]
        if self.department_id is not None:
            tops = Department.objects.filter(pk=self.department_id).values("region")
        else:
            tops = Region.objects.filter(reviewers=self.reviewer_id).values("pk")
        return Region.objects.filter(_at_or_below(tops, ""))

    def items(self) -> Q:
        """Catalogue items that concern the scope (on ApprovalItem).

        A reviewer answers for every item of the catalogue in their regions; a
        leader for the items their department governs or has a standard of.
        """
        if self.department_id is None:
            return Q()
        own = Standard.objects.filter(item=OuterRef("pk"), department_id=self.department_id)
        return Q(department_id=self.department_id) | Q(Exists(own))


def _at_or_below(tops: QuerySet[Any, Any], region_path: str) -> Q:
    """Region at `region_path` ("" for Region itself) is one of `tops` or lies below one."""
    steps = [region_path] if region_path else []
    scope = Q(**{f"{region_path or 'pk'}__in": tops})
    for _level in range(REGION_DEPTH - 1):
        steps.append("parent")
        scope |= Q(**{f"{'__'.join(steps)}__in": tops})
    return scope


def scope_for(user: Any) -> Scope | None:
    """The user's dashboard scope, or None when they may not see the dashboard."""
    roles = roles_of(user)
    if Role.EDITORIAL_REVIEWER in roles:
        return Scope(reviewer_id=user.pk)
    if Role.DEPARTMENT_LEADER in roles and user.department_id:
        return Scope(department_id=user.department_id)
    return None
