"""Time limits: promised ≤ statutory, step times, special procedures, extensions, ceilings.

README cross-field rules 1, 2, 23, 24 and 29. Comparisons convert to working
days (see `units.py`); one that fails only across different units is advisory.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..findings import Severity, Text
from ..messages import duration, fmt, join, must_fill, number
from ..text import NUMERAL, parse_number
from ..units import WORKING_DAY, Comparison, Span, at_most, span
from ..view import Row, View, codes, describe, filled

ACCEPTANCE_TO_DELIVERY = ("P03", "P04", "P05", "P06")
# Licensing Law art. 45: time these procedures need is not counted in the limit.
OUTSIDE_THE_LIMIT = {"02", "03", "04", "05", "06", "07", "09"}
RECTIFICATION_NOTICE_CEILING = Span(5, WORKING_DAY)  # Licensing Law art. 32
DELIVERY_CEILING = Span(10, WORKING_DAY)  # Licensing Law art. 44
SITE_INSPECTION = "2"  # review_method 实地核查


def in_working_days(span_: Span) -> Text:
    """A duration as entered, with its working-day equivalent when it is in another unit."""
    if span_.unit == WORKING_DAY:
        return duration(span_.value, span_.unit)
    return fmt(
        _("%(value)s, about %(days)s working days"),
        value=duration(span_.value, span_.unit),
        days=number(span_.working_days),
    )


def longer_than(
    subject: Text, value: Span, limit: Text, bound: Span, comparison: Comparison
) -> Issue | None:
    """An issue when `value` exceeds `bound`, advisory when the units differ; None when it fits."""
    if comparison.fits:
        return None
    if comparison.same_unit:
        message = fmt(
            _("%(subject)s (%(value)s) is longer than %(limit)s (%(bound)s)."),
            subject=subject,
            value=duration(value.value, value.unit),
            limit=limit,
            bound=duration(bound.value, bound.unit),
        )
    else:
        message = fmt(
            _(
                "%(subject)s (%(value)s) looks longer than %(limit)s (%(bound)s). The units "
                "differ, so please check: 7 calendar days count as 5 working days, a month as 21 "
                "and an hour as 1/8."
            ),
            subject=subject,
            value=in_working_days(value),
            limit=limit,
            bound=in_working_days(bound),
        )
    return Issue(message, (), severity=comparison.severity)


def _with(found: Issue | None, *codes_: str, row: Row | None = None) -> Iterator[Issue]:
    if found is not None:
        yield issue(found.message, *codes_, row=row, severity=found.severity)


@rule(
    "R01a",
    _("The promised time limit is within the statutory one"),
    codes=["E06.05", "E06.06", "E06.01", "E06.02"],
    reference="README cross-field rule 1",
)
def promised_within_statutory(view: View) -> Iterator[Issue]:
    promised = span(view.value("E06.05"), view.value("E06.06"))
    statutory = span(view.value("E06.01"), view.value("E06.02"))
    if promised and statutory:
        found = longer_than(
            _("The promised time limit"),
            promised,
            _("the statutory time limit"),
            statutory,
            at_most(promised, statutory),
        )
        yield from _with(found, "E06.05", "E06.06", "E06.01", "E06.02")


@rule(
    "R01b",
    _("Each other process promises no more than its statutory limit"),
    codes=["PX.10", "PX.11", "PX.12", "PX.13"],
    reference="README cross-field rule 1",
)
def process_promised_within_statutory(view: View) -> Iterator[Issue]:
    for row in view.applicable_processes():
        promised = span(row.get("PX.12"), row.get("PX.13"))
        statutory = span(row.get("PX.10"), row.get("PX.11"))
        if promised and statutory:
            found = longer_than(
                fmt(
                    _("The promised time limit of %(process)s"),
                    process=describe("other_process", row),
                ),
                promised,
                _("its statutory time limit"),
                statutory,
                at_most(promised, statutory),
            )
            yield from _with(found, "PX.12", "PX.13", "PX.10", "PX.11", row=row)


@rule(
    "R02",
    _("Step times add up to no more than the promised limit"),
    codes=["PL.01", "PL.15", "PL.16", "E06.13", "E06.14", "E06.18", "E06.05", "E06.06"],
    reference="README cross-field rule 2",
)
def steps_within_promised(view: View) -> Iterator[Issue]:
    promised = span(view.value("E06.05"), view.value("E06.06"))
    if promised is None:
        return
    parts: list[tuple[Text, Span]] = []
    for row in view.rows("link_benchmark"):
        step = span(row.get("PL.15"), row.get("PL.16"))
        if row.get("PL.01") in ACCEPTANCE_TO_DELIVERY and step:
            parts.append((describe("link_benchmark", row), step))
    for row in view.rows("special_procedure"):
        step = span(row.get("E06.13"), row.get("E06.14"))
        if row.get("E06.18") is True and step:
            parts.append((describe("special_procedure", row), step))
    if not parts:
        return
    comparison = at_most([s for _name, s in parts], promised)
    if comparison.fits:
        return
    listed = [join((name, duration(s.value, s.unit))) for name, s in parts]
    total = (
        duration(sum(s.value for _name, s in parts), promised.unit)
        if comparison.same_unit
        else fmt(_("about %(days)s working days"), days=number(comparison.total_days))
    )
    yield issue(
        fmt(
            _(
                "The link time limits of P03–P06 and the special procedures counted within the "
                "limit add up to %(total)s, more than the promised time limit (%(promised)s): "
                "%(parts)s."
            ),
            total=total,
            promised=duration(promised.value, promised.unit),
            parts=listed,
        ),
        "PL.15",
        "E06.13",
        "E06.05",
        severity=comparison.severity,
    )


@rule(
    "R23",
    _("Special procedures of Licensing Law art. 45 are not counted in the limit"),
    codes=["E06.11", "E06.18"],
    reference="README cross-field rule 23",
)
def art45_procedures_not_counted(view: View) -> Iterator[Issue]:
    for row in view.rows("special_procedure"):
        if row.get("E06.11") in OUTSIDE_THE_LIMIT and row.get("E06.18") is True:
            yield issue(
                fmt(
                    _(
                        "The special procedure “%(procedure)s” is counted within the time limit, "
                        "but under Licensing Law art. 45 the time for hearings, tenders and "
                        "auctions, inspection, testing, quarantine, appraisal and expert review "
                        "is not counted. Set “Counted within the time limit” to no."
                    ),
                    procedure=describe("special_procedure", row),
                ),
                "E06.18",
                "E06.11",
                row=row,
            )


@rule(
    "R24a",
    _("An allowed extension states how long it is"),
    codes=["E06.08", "E06.09", "E06.10"],
    reference="README cross-field rule 24",
)
def extension_has_a_limit(view: View) -> Iterator[Issue]:
    if view.value("E06.08") is True:
        for code in ("E06.09", "E06.10"):
            if not filled(view.value(code)):
                yield issue(must_fill(code, _("the time limit can be extended")), code, "E06.08")


# 可以延长十日, 延长5个工作日, 延长期限不得超过三个月
_EXTENSION = re.compile(
    rf"延长(?:期限)?(?:的期限)?\s*(?:最长)?(?:不超过|不得超过|最多)?\s*({NUMERAL})\s*(?:个)?\s*"
    r"(工作日|日|天|月)"
)
# Licensing Law art. 82 counts the law's 日 as working days; reading a basis's 日 that
# way too gives the largest extension it could mean, so the warning stays cautious.
_EXTENSION_UNITS = {"工作日": "1", "日": "1", "天": "1", "月": "4"}


def allowed_extension(text: str) -> Span | None:
    """The longest extension an article text allows, e.g. 可以延长十日 → 10 工作日."""
    found = []
    for match in _EXTENSION.finditer(text):
        amount = parse_number(match[1])
        if amount is not None:
            found.append(Span(amount, _EXTENSION_UNITS[match[2]]))
    return max(found, key=lambda s: s.working_days, default=None)


@rule(
    "R24b",
    _("An extension stays within what the basis allows"),
    codes=["E06.08", "E06.09", "E06.10", "E06.04"],
    severity=Severity.ADVISORY,
    reference="README cross-field rule 24",
)
def extension_within_basis(view: View) -> Iterator[Issue]:
    extension = span(view.value("E06.09"), view.value("E06.10"))
    bases = view.ref_values("E06.04")
    if view.value("E06.08") is not True or extension is None or not bases:
        return
    allowed = [
        (row, found)
        for row in bases
        if (found := allowed_extension(row.get("E02.09") or "")) is not None
    ]
    if not allowed:
        yield issue(
            fmt(
                _(
                    "The time limit can be extended by %(extension)s, but none of the cited "
                    "bases of the statutory limit (%(bases)s) mentions an extension. Cite the "
                    "article that allows it, e.g. Licensing Law art. 42."
                ),
                extension=duration(extension.value, extension.unit),
                bases=[describe("legal_basis", row) for row in bases],
            ),
            "E06.08",
            "E06.04",
        )
        return
    row, longest = max(allowed, key=lambda pair: pair[1].working_days)
    if extension.working_days > longest.working_days:
        yield issue(
            fmt(
                _(
                    "The extension (%(extension)s) is longer than the %(allowed)s that %(basis)s "
                    "allows."
                ),
                extension=duration(extension.value, extension.unit),
                allowed=duration(longest.value, longest.unit),
                basis=describe("legal_basis", row),
            ),
            "E06.09",
            "E06.10",
            "E06.04",
        )


@rule(
    "R29a",
    _("The rectification notice comes within 5 working days"),
    codes=["P03.02", "P03.03"],
    reference="README cross-field rule 29",
)
def rectification_notice_ceiling(view: View) -> Iterator[Issue]:
    notice = span(view.value("P03.02"), view.value("P03.03"))
    if notice:
        found = longer_than(
            _("The rectification notice limit"),
            notice,
            _("the limit of Licensing Law art. 32"),
            RECTIFICATION_NOTICE_CEILING,
            at_most(notice, RECTIFICATION_NOTICE_CEILING),
        )
        yield from _with(found, "P03.02", "P03.03")


@rule(
    "R29b",
    _("Certificates are delivered within 10 working days"),
    codes=["P06.03", "P06.04"],
    reference="README cross-field rule 29",
)
def delivery_ceiling(view: View) -> Iterator[Issue]:
    delivery = span(view.value("P06.03"), view.value("P06.04"))
    if delivery:
        found = longer_than(
            _("The delivery limit"),
            delivery,
            _("the limit of Licensing Law art. 44"),
            DELIVERY_CEILING,
            at_most(delivery, DELIVERY_CEILING),
        )
        yield from _with(found, "P06.03", "P06.04")


@rule(
    "R29c",
    _("Posts doing site inspections have at least two staff"),
    codes=["E11.03", "PL.04", "PL.08"],
    reference="README cross-field rule 29",
)
def site_inspection_headcount(view: View) -> Iterator[Issue]:
    reported: set[str] = set()
    for link in view.rows("link_benchmark"):
        if SITE_INSPECTION not in codes(link.get("PL.08")):
            continue
        for post in view.refs(link, "PL.04"):
            headcount = post.get("E11.03")
            if isinstance(headcount, int) and headcount < 2 and post["row_id"] not in reported:
                reported.add(post["row_id"])
                yield issue(
                    fmt(
                        _(
                            "The post “%(post)s” carries out site inspections (link “%(link)s”) "
                            "but has a headcount of %(headcount)s; a site inspection needs at "
                            "least two staff (Licensing Law art. 34)."
                        ),
                        post=describe("post", post),
                        link=describe("link_benchmark", link),
                        headcount=headcount,
                    ),
                    "E11.03",
                    row=post,
                )
