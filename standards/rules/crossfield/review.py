"""The review stage (P04) against special procedures (E06) and conditions (E04).

README cross-field rules 21 and 22.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..findings import Severity, Text
from ..messages import code_label, field_label, fmt, must_fill
from ..view import View, codes, describe, filled

# Review method → the special procedure kinds (E06.11) that carry its time and basis.
PROCEDURE_KINDS = {
    "2": {"01"},  # 实地核查
    "3": {"02"},  # 听证
    "4": {"07"},  # 专家评审
    "5": {"03", "04", "05", "06"},  # 检验检测: 检验, 检测, 检疫, 鉴定
}
ALWAYS_AVAILABLE = {"1", "6"}  # 书面审查 and 数据共享核验 need no review-stage set-up


def _method(code: str) -> Text:
    return code_label("review_method", code)


@rule(
    "R21a",
    _("Review methods agree with the site-inspection and hearing settings"),
    codes=["P04.01", "P04.02", "P04.03", "P04.04", "P04.05", "P04.06", "P04.09", "P04.10"],
    reference="README cross-field rule 21",
)
def review_methods_are_set_up(view: View) -> Iterator[Issue]:
    methods = codes(view.value("P04.01"))
    for method, flag, rules in (
        ("2", "P04.02", ("P04.03", "P04.04")),
        ("3", "P04.05", ("P04.06",)),
    ):
        setting = view.value(flag)
        if method in methods and setting is False:
            yield issue(
                fmt(
                    _("The review methods include “%(method)s”, but “%(flag)s” is no."),
                    method=_method(method),
                    flag=field_label(flag),
                ),
                flag,
                "P04.01",
            )
        elif setting is True and filled(view.value("P04.01")) and method not in methods:
            yield issue(
                fmt(
                    _("“%(flag)s” is yes, but the review methods do not include “%(method)s”."),
                    method=_method(method),
                    flag=field_label(flag),
                ),
                "P04.01",
                flag,
            )
        if setting is True or method in methods:
            reason = fmt(_("the review includes “%(method)s”"), method=_method(method))
            for code in rules:
                if not filled(view.value(code)):
                    yield issue(must_fill(code, reason), code, flag, "P04.01")
    for method, code in (("4", "P04.09"), ("5", "P04.10")):
        if method in methods and not filled(view.value(code)):
            reason = fmt(_("the review includes “%(method)s”"), method=_method(method))
            yield issue(must_fill(code, reason), code, "P04.01")


@rule(
    "R21b",
    _("Review methods that take extra time have a matching special procedure"),
    codes=["P04.01", "E06.11"],
    reference="README cross-field rule 21",
)
def review_methods_have_procedures(view: View) -> Iterator[Issue]:
    methods = codes(view.value("P04.01"))
    procedures = view.rows("special_procedure")
    kinds = {row.get("E06.11") for row in procedures}
    for method in sorted(methods & PROCEDURE_KINDS.keys()):
        if not kinds & PROCEDURE_KINDS[method]:
            yield issue(
                fmt(
                    _(
                        "The review methods include “%(method)s”, but no special procedure of "
                        "that kind (%(kinds)s) states its time and basis."
                    ),
                    method=_method(method),
                    kinds=[
                        code_label("special_procedure_kind", k)
                        for k in sorted(PROCEDURE_KINDS[method])
                    ],
                ),
                "E06.11",
                "P04.01",
            )
    # The other direction (E06.11 notes 01 ⇔ 2 and so on) is a warning only: the procedure
    # may serve another process than the review.
    for row in procedures:
        for method, procedure_kinds in PROCEDURE_KINDS.items():
            if row.get("E06.11") in procedure_kinds and method not in methods and methods:
                yield issue(
                    fmt(
                        _(
                            "The special procedure “%(procedure)s” is listed, but the review "
                            "methods do not include “%(method)s”."
                        ),
                        procedure=describe("special_procedure", row),
                        method=_method(method),
                    ),
                    "P04.01",
                    "E06.11",
                    row=row,
                    severity=Severity.ADVISORY,
                )


@rule(
    "R21c",
    _("Conditions are verified only by methods the review uses"),
    codes=["E04.07", "P04.01"],
    reference="README cross-field rule 21",
)
def verification_within_review(view: View) -> Iterator[Issue]:
    methods = codes(view.value("P04.01"))
    if not methods:
        return
    for row in view.rows("condition"):
        extra = codes(row.get("E04.07")) - methods - ALWAYS_AVAILABLE
        if extra:
            yield issue(
                fmt(
                    _(
                        "The condition “%(condition)s” is verified by %(methods)s, which the "
                        "review methods (P04.01) do not include."
                    ),
                    condition=describe("condition", row),
                    methods=[_method(m) for m in sorted(extra)],
                ),
                "E04.07",
                "P04.01",
                row=row,
            )


@rule(
    "R22",
    _("A review affecting others' major interests hears their statements"),
    codes=["P04.07", "P04.08"],
    reference="README cross-field rule 22",
)
def third_parties_are_heard(view: View) -> Iterator[Issue]:
    if view.value("P04.07") is True and not filled(view.value("P04.08")):
        yield issue(
            must_fill("P04.08", _("the approval may affect others' major interests")),
            "P04.08",
            "P04.07",
        )
