"""The reviewers' queue: submitted versions of the regions they review, oldest first."""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from typing import Any

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import F, OuterRef, Prefetch, QuerySet, Subquery
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from standards.forms.review import QueueFilterForm
from standards.models import Department, ReviewRound, StandardVersion

from .review_access import RELATED, is_reviewer, reviewable_versions, reviewed_scope

PAGE_SIZE = 50
QUEUE_STATES = (StandardVersion.State.SUBMITTED, StandardVersion.State.IN_REVIEW)


@dataclass(frozen=True)
class QueueRow:
    version: StandardVersion
    round: ReviewRound | None

    @property
    def waiting_since(self) -> datetime.datetime | None:
        return self.round.submitted_at if self.round else None


def queue_versions(user: Any, filters: dict[str, Any]) -> QuerySet[StandardVersion]:
    """The versions waiting for review by `user`, filtered, oldest submission first."""
    open_rounds = ReviewRound.objects.filter(outcome=ReviewRound.Outcome.OPEN)
    waiting_since = open_rounds.filter(version=OuterRef("pk")).values("submitted_at")[:1]
    versions = (
        reviewable_versions(user)
        .filter(state__in=QUEUE_STATES)
        .annotate(waiting_since=Subquery(waiting_since))
        .select_related(*RELATED)
        .prefetch_related(
            Prefetch("rounds", open_rounds.select_related("reviewer"), to_attr="open_rounds")
        )
    )
    if "department" in filters:
        versions = versions.filter(standard__department=filters["department"])
    if "level" in filters:
        versions = versions.filter(standard__region__level=filters["level"])
    if "item_type" in filters:
        versions = versions.filter(standard__item__item_type=filters["item_type"])
    if "min_days" in filters:
        cutoff = timezone.now() - datetime.timedelta(days=filters["min_days"])
        versions = versions.filter(waiting_since__lte=cutoff)
    return versions.order_by(F("waiting_since").asc(nulls_last=True), "pk")


def departments_reviewed(user: Any) -> QuerySet[Department]:
    return Department.objects.filter(reviewed_scope(user, "region")).order_by(
        "region__code", "code"
    )


@login_required
@require_GET
def queue(request: HttpRequest) -> HttpResponse:
    if not is_reviewer(request.user):
        raise PermissionDenied
    form = QueueFilterForm(request.GET, departments_reviewed(request.user))
    versions = queue_versions(request.user, form.filters())
    page = Paginator(versions, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [QueueRow(v, next(iter(getattr(v, "open_rounds", [])), None)) for v in page]
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "rows": rows, "query": query.urlencode()}
    return render(request, "standards/review/queue.html", context)
