"""The implementing agency (E03): entrustment, preliminary review, co-implementers.

README cross-field rules 13 and 14.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..messages import must_fill
from ..view import View, filled

ENTRUSTED_POWER = {"5", "6"}  # power_source 上级委托, 同级委托
ENTRUSTED_AGENCY = "3"  # agency_nature 受委托组织


@rule(
    "R13",
    _("An entrusted power names the entrusting department and document"),
    codes=["B00.05", "E03.03", "E03.04", "E03.05"],
    reference="README cross-field rule 13",
)
def entrustment_is_documented(view: View) -> Iterator[Issue]:
    if str(view.value("B00.05")) in ENTRUSTED_POWER:
        reason = _("the power is exercised by entrustment")
    elif str(view.value("E03.03")) == ENTRUSTED_AGENCY:
        reason = _("the implementing agency is an entrusted organisation")
    else:
        return
    for code in ("E03.04", "E03.05"):
        if not filled(view.value(code)):
            yield issue(must_fill(code, reason), code, "B00.05", "E03.03")


@rule(
    "R14a",
    _("A preliminary review names its level, body and forwarding rules"),
    codes=["E03.12", "E03.13", "E03.14", "P04.11"],
    reference="README cross-field rule 14",
)
def preliminary_review_is_described(view: View) -> Iterator[Issue]:
    if view.value("E03.12") is True:
        for code in ("E03.13", "E03.14", "P04.11"):
            if not filled(view.value(code)):
                yield issue(must_fill(code, _("the item has a preliminary review")), code, "E03.12")


@rule(
    "R14b",
    _("Co-implementing departments come with their codes"),
    codes=["E03.10", "E03.11"],
    reference="README cross-field rule 14",
)
def co_implementers_have_codes(view: View) -> Iterator[Issue]:
    if filled(view.value("E03.10")) and not filled(view.value("E03.11")):
        yield issue(
            must_fill("E03.11", _("co-implementing departments are named")), "E03.11", "E03.10"
        )
