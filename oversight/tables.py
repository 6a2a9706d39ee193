"""The dashboard's tables: headers, rows and the chart drawn from them.

One builder per table, all reading the figures of `services.dashboard`. The
page shows every table under its chart; the CSV export writes one table with
the very same headers and rows.
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from oversight.scope import Scope
from oversight.services import dashboard
from oversight.svg import Series, bar_chart
from standards.models.standard import VersionState


@dataclass
class Table:
    slug: str
    title: str
    headers: list[str]
    rows: list[list[Any]]
    chart: SafeString | None = None
    notes: list[str] = field(default_factory=list)


def _days(value: datetime.timedelta | None) -> float | None:
    return None if value is None else round(value.total_seconds() / 86400, 1)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 1)


def _state_labels() -> list[str]:
    return [str(label) for label in VersionState.labels]


def progress_by_department(scope: Scope) -> Table:
    rows, _levels = dashboard.progress(scope)
    return _progress_table(
        "progress-department",
        _("Progress by department"),
        _("Department"),
        rows,
        with_missing=False,
    )


def progress_by_level(scope: Scope) -> Table:
    _departments, rows = dashboard.progress(scope)
    return _progress_table(
        "progress-level", _("Progress by level"), _("Level"), rows, with_missing=True
    )


def _progress_table(
    slug: str, title: str, first: str, rows: list[dashboard.ProgressRow], *, with_missing: bool
) -> Table:
    headers = [first, *_state_labels(), _("Standards")]
    if with_missing:
        headers.append(_("Items exercised here without a published standard"))
    body = []
    for row in rows:
        cells: list[Any] = [row.label, *(row.states.get(s, 0) for s in dashboard.STATES), row.total]
        if with_missing:
            cells.append(row.missing)
        body.append(cells)
    published = VersionState.PUBLISHED
    chart = bar_chart(
        title,
        _("Standards in scope and how many of them are published, per row of the table below."),
        [row.label for row in rows],
        [
            Series(_("Standards"), [row.total for row in rows]),
            Series(
                str(VersionState(published).label), [row.states.get(published, 0) for row in rows]
            ),
        ],
    )
    return Table(slug, title, headers, body, chart)


def turnaround(scope: Scope) -> Table:
    rows = dashboard.turnaround(scope)
    title = _("Review turnaround by round")
    body = [[row.number, row.rounds, _days(row.median), _days(row.p90)] for row in rows]
    unit = _(" days")
    chart = bar_chart(
        title,
        _("Days from submission to the decision, median and 90th percentile, per review round."),
        [_("Round %(number)s") % {"number": row.number} for row in rows],
        [
            Series(_("Median"), [_days(r.median) or 0 for r in rows]),
            Series(_("90th percentile"), [_days(r.p90) or 0 for r in rows]),
        ],
        unit,
    )
    headers = [_("Round"), _("Rounds decided"), _("Median (days)"), _("90th percentile (days)")]
    return Table(
        "turnaround", title, headers, body, chart, [_("Nearest-rank percentiles of calendar days.")]
    )


def return_reasons(scope: Scope) -> Table:
    rows = dashboard.return_reasons(scope)
    title = _("Return reasons")
    chart = bar_chart(
        title,
        _("Comments of returned review rounds, by reason code."),
        [row.label for row in rows],
        [Series(_("Comments"), [row.comments for row in rows])],
    )
    headers = [_("Reason code"), _("Reason"), _("Comments"), _("Rounds")]
    body = [[row.code, row.label, row.comments, row.rounds] for row in rows]
    return Table("return-reasons", title, headers, body, chart)


REFORM_COLUMNS: list[tuple[str, Callable[[], str]]] = [
    ("standards", lambda: _("Standards published")),
    ("materials", lambda: _("Application materials")),
    ("statutory_sum", lambda: _("Statutory limits, total (working days)")),
    ("statutory_avg", lambda: _("Statutory limit, average (working days)")),
    ("promised_sum", lambda: _("Promised limits, total (working days)")),
    ("promised_avg", lambda: _("Promised limit, average (working days)")),
    ("charged", lambda: _("Items charging fees")),
    ("fee_items", lambda: _("Fee items")),
    ("intermediaries", lambda: _("Intermediary services")),
]


def reform_effect(scope: Scope) -> Table:
    rows = dashboard.reform_effect(scope)
    title = _("The reform's effect: first and latest published versions")
    headers = [_("Department")]
    for _key, label in REFORM_COLUMNS[1:]:
        headers += [
            _("%(measure)s · first") % {"measure": label()},
            _("%(measure)s · latest") % {"measure": label()},
        ]
    headers.insert(1, REFORM_COLUMNS[0][1]())
    body = []
    for row in rows:
        cells: list[Any] = [row.department, row.first["standards"]]
        for key, _label in REFORM_COLUMNS[1:]:
            cells += [_round(row.first[key]), _round(row.latest[key])]
        body.append(cells)
    chart = bar_chart(
        title,
        _("Application materials per department, first and latest published versions."),
        [row.department for row in rows],
        [
            Series(_("First published"), [row.first["materials"] or 0 for row in rows]),
            Series(_("Latest published"), [row.latest["materials"] or 0 for row in rows]),
        ],
    )
    notes = [
        _(
            "Time limits are converted to working days (a calendar day is 5/7, an hour 1/8, "
            "a month 21 working days); averages are over the standards that state a limit."
        )
    ]
    return Table("reform", title, headers, body, chart, notes)


BUILDERS: dict[str, Callable[[Scope], Table]] = {
    "progress-department": progress_by_department,
    "progress-level": progress_by_level,
    "turnaround": turnaround,
    "return-reasons": return_reasons,
    "reform": reform_effect,
}


def all_tables(scope: Scope) -> list[Table]:
    """Every table; progress is queried once for both of its tables."""
    departments, levels = dashboard.progress(scope)
    return [
        _progress_table(
            "progress-department",
            _("Progress by department"),
            _("Department"),
            departments,
            with_missing=False,
        ),
        _progress_table(
            "progress-level", _("Progress by level"), _("Level"), levels, with_missing=True
        ),
        turnaround(scope),
        return_reasons(scope),
        reform_effect(scope),
    ]
