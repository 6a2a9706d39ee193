"""Who sees what in the filing review, decided in the query.

Reviewers see the submitted versions of the regions they review and of the
regions below them (the "review" scope of `standards.services.workflow.in_scope`);
departments see the comments on their own versions only. Anything else is a 404.
"""

from __future__ import annotations

from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.http import Http404

from standards.access import roles_of, writable_versions
from standards.models import Region, ReviewRound, StandardVersion
from standards.roles import Role

# Province → city → county: a region lies at most this many steps below one reviewed.
REGION_DEPTH = len(Region.Level)

RELATED = ("standard__item", "standard__department", "standard__region")


def is_reviewer(user: Any) -> bool:
    return Role.EDITORIAL_REVIEWER in roles_of(user)


def reviewed_scope(user: Any, region_path: str = "standard__region") -> Q:
    """Objects whose region (at `region_path`) the user reviews or lies below one reviewed."""
    reviewed = Region.objects.filter(reviewers=user).values("pk")
    scope = Q()
    path = region_path
    for _level in range(REGION_DEPTH):
        scope |= Q(**{f"{path}__in": reviewed})
        path = f"{path}__parent"
    return scope


def reviewable_versions(user: Any) -> QuerySet[StandardVersion]:
    """Versions submitted at least once whose region the user reviews; none for non-reviewers."""
    if not is_reviewer(user):
        return StandardVersion.objects.none()
    submitted = ReviewRound.objects.filter(version=OuterRef("pk"))
    return StandardVersion.objects.filter(reviewed_scope(user), Exists(submitted))


def version_for_review(user: Any, pk: int) -> StandardVersion:
    """The version under review, or 404 when the user does not review its region."""
    version = reviewable_versions(user).select_related(*RELATED).filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def version_for_answers(user: Any, pk: int) -> StandardVersion:
    """The department's own version, or 404 (other departments, reviewers, no role)."""
    version = writable_versions(user).select_related(*RELATED).filter(pk=pk).first()
    if version is None:
        raise Http404
    return version
