"""The dashboard's figures, each from one aggregate query over the scope.

Every function here returns small per-department (or per-level, per-round,
per-reason) results: the database groups and counts; Python only pivots the
few grouped rows into table form. The whole dashboard costs a fixed number
of queries whatever the size of the catalogue (a test holds it to 20).
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from typing import Any

from django.db.models import (
    Avg,
    Case,
    Count,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
    Window,
)
from django.db.models.functions import Cast, Ceil, Coalesce, RowNumber

from oversight.scope import Scope
from standards.changes.durations import WORKING_DAYS
from standards.models import (
    ApprovalItem,
    Region,
    ReviewComment,
    ReviewRound,
    Standard,
    StandardVersion,
)
from standards.models.elements import (
    Fee,
    FeeItem,
    IntermediaryService,
    Material,
    TimeLimit,
)
from standards.models.standard import VersionState

LEVELS = tuple(Region.Level.values)
STATES = tuple(VersionState.values)


# --- progress -------------------------------------------------------------------


@dataclass
class ProgressRow:
    """Standards counted by the state of their newest version."""

    key: str
    label: str
    states: dict[str, int] = field(default_factory=dict)
    missing: int | None = None  # items exercised here with no published standard

    @property
    def total(self) -> int:
        return sum(self.states.values())


def _current_state() -> Subquery:
    newest = StandardVersion.objects.filter(standard=OuterRef("pk")).order_by("-number")
    return Subquery(newest.values("state")[:1])


def progress(scope: Scope) -> tuple[list[ProgressRow], list[ProgressRow]]:
    """(by department, by level): standards per state of their newest version.

    One query groups by department, level and state; both tables are pivoted
    from its few rows.
    """
    grouped = (
        Standard.objects.filter(scope.standards())
        .annotate(current_state=_current_state())
        .order_by()
        .values("department__code", "department__name", "region__level", "current_state")
        .annotate(n=Count("pk"))
    )
    by_department: dict[str, ProgressRow] = {}
    by_level = {level: ProgressRow(level, str(Region.Level(level).label)) for level in LEVELS}
    for row in grouped:
        code = row["department__code"]
        target = by_department.setdefault(code, ProgressRow(code, row["department__name"]))
        state = row["current_state"]
        target.states[state] = target.states.get(state, 0) + row["n"]
        level_row = by_level[row["region__level"]]
        level_row.states[state] = level_row.states.get(state, 0) + row["n"]
    for level, missing in uncovered_counts(scope).items():
        by_level[level].missing = missing
    departments = sorted(by_department.values(), key=lambda r: (-r.total, r.label))
    return departments, list(by_level.values())


def level_patterns(level: str) -> list[str]:
    """The catalogue's level sets (ApprovalItem.levels values) that include `level`."""
    return [p for p, levels in ApprovalItem.LEVEL_SETS.items() if level in levels]


def published_here(scope: Scope, level: str) -> Exists:
    """An item (outer ApprovalItem) has a published standard at `level` in the scope's regions."""
    return Exists(
        StandardVersion.objects.filter(
            standard__item=OuterRef("pk"),
            standard__region__in=scope.regions().filter(level=level),
            state=VersionState.PUBLISHED,
        )
    )


def uncovered_items(scope: Scope, level: str) -> QuerySet[ApprovalItem]:
    """Items exercised at `level` with no published standard at that level in scope.

    Only levels that the scope has regions at count: a city's reviewer is not
    told that the province has not published.
    """
    has_regions = scope.regions().filter(level=level)
    return ApprovalItem.objects.filter(
        scope.items(),
        Exists(has_regions),
        ~published_here(scope, level),
        levels__in=level_patterns(level),
    )


def uncovered_counts(scope: Scope) -> dict[str, int]:
    """Per level, how many items are exercised there with no published standard (one query)."""
    counts: dict[str, Any] = {}
    for level in LEVELS:
        condition = (
            Q(levels__in=level_patterns(level))
            & Q(Exists(scope.regions().filter(level=level)))
            & ~Q(published_here(scope, level))
        )
        counts[level] = Count("pk", filter=condition)
    return ApprovalItem.objects.filter(scope.items()).aggregate(**counts)


# --- review turnaround ------------------------------------------------------------


@dataclass(frozen=True)
class TurnaroundRow:
    number: int
    rounds: int
    median: datetime.timedelta
    p90: datetime.timedelta


def turnaround(scope: Scope) -> list[TurnaroundRow]:
    """Submission to decision (returned or approved) per review round number.

    Median and 90th percentile by the nearest-rank method (the value at rank
    ceil(p·n) in ascending order), computed with window functions so that only
    two rows per round number leave the database.
    """
    duration = ExpressionWrapper(F("closed_at") - F("submitted_at"), output_field=DurationField())
    ranked = (
        ReviewRound.objects.filter(scope.standards("version__standard__"), closed_at__isnull=False)
        .annotate(
            duration=duration,
            rank=Window(RowNumber(), partition_by=[F("number")], order_by=[duration.asc(), "pk"]),
            total=Window(Count("pk"), partition_by=[F("number")]),
        )
        .annotate(
            median_rank=Ceil(Cast("total", FloatField()) * Value(0.5)),
            p90_rank=Ceil(Cast("total", FloatField()) * Value(0.9)),
        )
        .filter(Q(rank=F("median_rank")) | Q(rank=F("p90_rank")))
        .values("number", "rank", "total", "duration", "median_rank", "p90_rank")
    )
    found: dict[int, dict[str, Any]] = defaultdict(dict)
    for row in ranked:
        entry = found[row["number"]]
        entry["total"] = row["total"]
        if row["rank"] == row["median_rank"]:
            entry["median"] = row["duration"]
        if row["rank"] == row["p90_rank"]:
            entry["p90"] = row["duration"]
    return [
        TurnaroundRow(number, entry["total"], entry["median"], entry["p90"])
        for number, entry in sorted(found.items())
    ]


# --- return reasons ---------------------------------------------------------------


@dataclass(frozen=True)
class ReasonRow:
    code: str
    label: str
    comments: int
    rounds: int


def return_reasons(scope: Scope) -> list[ReasonRow]:
    """Comments of returned rounds by reason code, with the rounds they occur in."""
    counted = (
        ReviewComment.objects.filter(
            scope.standards("review_round__version__standard__"),
            review_round__outcome=ReviewRound.Outcome.RETURNED,
        )
        .order_by()
        .values("reason")
        .annotate(comments=Count("pk"), rounds=Count("review_round", distinct=True))
    )
    by_code = {row["reason"]: row for row in counted}
    rows = []
    for code, label in ReviewComment.Reason.choices:
        row = by_code.get(code)
        if row:
            rows.append(ReasonRow(code, str(label), row["comments"], row["rounds"]))
    return sorted(rows, key=lambda r: (-r.comments, r.code))


# --- the reform's effect ----------------------------------------------------------

REFORM_MEASURES = (
    "standards",
    "materials",
    "statutory_sum",
    "statutory_avg",
    "promised_sum",
    "promised_avg",
    "charged",
    "fee_items",
    "intermediaries",
)


@dataclass
class ReformRow:
    department: str
    first: dict[str, Any]
    latest: dict[str, Any]


def _row_count(model: Any) -> Coalesce:
    rows = (
        model.objects.filter(version=OuterRef("pk"))
        .order_by()
        .values("version")
        .annotate(c=Count("pk"))
        .values("c")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), 0)


def in_working_days(number: str, unit: str) -> Case:
    """A duration column in working days, by the factors of standards.changes.durations."""
    whens = [
        When(**{unit: code}, then=Cast(number, FloatField()) * Value(float(factor)))
        for (codelist, code), factor in WORKING_DAYS.items()
        if codelist == "time_unit"
    ]
    return Case(*whens, default=None, output_field=FloatField())


def _limit(number: str, unit: str) -> Subquery:
    section = TimeLimit.objects.filter(version=OuterRef("pk")).values(
        days=in_working_days(number, unit)
    )
    return Subquery(section, output_field=FloatField())


def _charged() -> Coalesce:
    section = Fee.objects.filter(version=OuterRef("pk")).values(
        c=Case(When(is_charged=True, then=Value(1)), default=Value(0))
    )
    return Coalesce(Subquery(section, output_field=IntegerField()), 0)


def _published_versions(scope: Scope, *, first: bool) -> QuerySet[StandardVersion]:
    """The first (or latest) version of each standard in scope that has a snapshot."""
    other = StandardVersion.objects.filter(
        standard=OuterRef("standard"), published_snapshot__isnull=False
    )
    other = (
        other.filter(number__lt=OuterRef("number"))
        if first
        else other.filter(number__gt=OuterRef("number"))
    )
    return StandardVersion.objects.filter(
        scope.standards("standard__"), ~Exists(other), published_snapshot__isnull=False
    )


def _reform_totals(scope: Scope, *, first: bool) -> dict[str, dict[str, Any]]:
    measured = _published_versions(scope, first=first).annotate(
        m_materials=_row_count(Material),
        m_fee_items=_row_count(FeeItem),
        m_intermediaries=_row_count(IntermediaryService),
        m_charged=_charged(),
        m_statutory=_limit("statutory_limit", "statutory_limit_unit"),
        m_promised=_limit("promised_limit", "promised_limit_unit"),
    )
    totals = (
        measured.order_by()
        .values("standard__department__code", "standard__department__name")
        .annotate(
            standards=Count("pk"),
            materials=Sum("m_materials"),
            statutory_sum=Sum("m_statutory"),
            statutory_avg=Avg("m_statutory"),
            promised_sum=Sum("m_promised"),
            promised_avg=Avg("m_promised"),
            charged=Sum("m_charged"),
            fee_items=Sum("m_fee_items"),
            intermediaries=Sum("m_intermediaries"),
        )
    )
    return {row["standard__department__code"]: dict(row) for row in totals}


def reform_effect(scope: Scope) -> list[ReformRow]:
    """Per department: the first published versions against the latest ones (two queries).

    Content rows of a published version never change (content is editable in
    draft and returned states only), so they are counted in the database
    rather than read out of each snapshot's JSON.
    """
    firsts = _reform_totals(scope, first=True)
    latests = _reform_totals(scope, first=False)
    rows = []
    for code, first_row in firsts.items():
        latest_row = latests[code]
        rows.append(
            ReformRow(
                department=first_row["standard__department__name"],
                first={m: first_row[m] for m in REFORM_MEASURES},
                latest={m: latest_row[m] for m in REFORM_MEASURES},
            )
        )
    return sorted(rows, key=lambda r: r.department)
