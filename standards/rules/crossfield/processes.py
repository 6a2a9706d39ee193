"""Other processes (PX), per-link benchmarks (PL) and where applications are accepted.

README cross-field rules 32, 33 and 35.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..findings import Severity
from ..messages import code_label, fmt, must_fill
from ..view import View, describe, filled, process_label

OTHER_PROCESSES = {f"P{n:02d}" for n in range(9, 20)}
ALWAYS_LINKED = ("P03", "P04", "P05")
NOT_THROUGH_HANDLED = "4"  # through_scope 无


@rule(
    "R32a",
    _("Each other process appears once, and only P09–P19"),
    codes=["PX.01"],
    reference="README cross-field rule 32",
)
def processes_are_unique(view: View) -> Iterator[Issue]:
    seen: set[str] = set()
    for row in view.rows("other_process"):
        code = row.get("PX.01")
        if not code:
            continue
        if code not in OTHER_PROCESSES:
            yield issue(
                fmt(
                    _(
                        "%(process)s is not one of the other processes P09–P19; the general "
                        "processes P01–P08 have their own sections."
                    ),
                    process=process_label(code),
                ),
                "PX.01",
                row=row,
            )
        elif code in seen:
            yield issue(
                fmt(
                    _("%(process)s is listed more than once; keep one row per process."),
                    process=process_label(code),
                ),
                "PX.01",
                row=row,
            )
        seen.add(code)


@rule(
    "R32b",
    _("An applicable other process is fully described"),
    codes=[
        "PX.02",
        "PX.05",
        "PX.06",
        "PX.07",
        "PX.08",
        "PX.10",
        "PX.11",
        "PX.12",
        "PX.13",
        "PX.17",
        "PX.18",
    ],
    reference="README cross-field rule 32",
)
def applicable_process_is_complete(view: View) -> Iterator[Issue]:
    for row in view.applicable_processes():
        process = describe("other_process", row)
        reason = fmt(_("%(process)s applies"), process=process)
        for code in ("PX.05", "PX.06", "PX.10", "PX.11", "PX.12", "PX.13", "PX.17", "PX.18"):
            if not filled(row.get(code)):
                yield issue(must_fill(code, reason), code, "PX.02", row=row)
        if not filled(row.get("PX.07")) and not filled(row.get("PX.08")):
            yield issue(
                fmt(
                    _(
                        "%(process)s applies but asks for no materials: reference the materials "
                        "it needs (PX.07) or describe its own (PX.08)."
                    ),
                    process=process,
                ),
                "PX.07",
                "PX.08",
                row=row,
            )


@rule(
    "R33a",
    _("Acceptance, review, decision and every applicable other process have links"),
    codes=["PL.01", "PX.01"],
    reference="README cross-field rule 33",
)
def processes_have_links(view: View) -> Iterator[Issue]:
    linked = {row.get("PL.01") for row in view.rows("link_benchmark")}
    for code in ALWAYS_LINKED:
        if code not in linked:
            yield issue(
                fmt(
                    _("%(process)s has no link in the discretionary benchmark; add at least one."),
                    process=process_label(code),
                ),
                "PL.01",
            )
    for row in view.applicable_processes():
        if row.get("PX.01") and row.get("PX.01") not in linked:
            yield issue(
                fmt(
                    _(
                        "%(process)s applies but has no link in the discretionary benchmark; add "
                        "at least one."
                    ),
                    process=describe("other_process", row),
                ),
                "PX.01",
                "PL.01",
                row=row,
            )


@rule(
    "R33b",
    _("Link order is unique within a process"),
    codes=["PL.01", "PL.03"],
    reference="README cross-field rule 33",
)
def link_order_is_unique(view: View) -> Iterator[Issue]:
    seen: Counter[tuple[str, int]] = Counter()
    for row in view.rows("link_benchmark"):
        process, order = row.get("PL.01"), row.get("PL.03")
        if not process or order is None:
            continue
        seen[(process, order)] += 1
        if seen[(process, order)] > 1:
            yield issue(
                fmt(
                    _(
                        "The link “%(link)s” has order %(order)s, which another link of "
                        "%(process)s already has."
                    ),
                    link=describe("link_benchmark", row),
                    order=order,
                    process=process_label(process),
                ),
                "PL.03",
                row=row,
            )


@rule(
    "R33c",
    _("Rectification and denial criteria cite their basis"),
    codes=["PL.11", "PL.12", "PL.13", "PL.14"],
    reference="README cross-field rule 33",
)
def criteria_have_basis(view: View) -> Iterator[Issue]:
    for row in view.rows("link_benchmark"):
        link = describe("link_benchmark", row)
        for criteria, basis, reason in (
            ("PL.11", "PL.12", _("the link “%(link)s” can ask for rectification (补正)")),
            ("PL.13", "PL.14", _("the link “%(link)s” can end in a refusal")),
        ):
            if filled(row.get(criteria)) and not filled(row.get(basis)):
                yield issue(must_fill(basis, fmt(reason, link=link)), basis, criteria, row=row)


# Words that show a list of places covers through-handling: 各, 任一, 通办 ...
_COVERS_MANY = re.compile(r"各|任一|任意|所有|全部|全省|全市|全国|跨|通办|就近")
_SEPARATORS = re.compile(r"[；;\n]|(?:^|\s)(?:\d+[.、．]|[（(][一二三四五六七八九十\d]+[）)])")


@rule(
    "R35",
    _("A through-handled item lists every accepting place"),
    codes=["B00.14", "P02.01"],
    severity=Severity.ADVISORY,
    reference="README cross-field rule 35",
)
def through_handling_places(view: View) -> Iterator[Issue]:
    scope = view.value("B00.14")
    if not scope or scope == NOT_THROUGH_HANDLED:
        return
    places = view.value("P02.01") or ""
    parts = [p for p in _SEPARATORS.split(places) if p and p.strip()]
    # A judgement only a reviewer can make; flag texts that name one place and no coverage.
    if len(parts) >= 2 or _COVERS_MANY.search(places):
        return
    yield issue(
        fmt(
            _(
                "The item is through-handled (%(scope)s), but the application places seem to name "
                "only one place. List every place that accepts applications, including the "
                "through-handling points."
            ),
            scope=code_label("through_scope", scope),
        ),
        "P02.01",
        "B00.14",
    )
