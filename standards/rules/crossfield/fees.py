"""Fees (E08) against payment options, special procedures and other processes.

README cross-field rules 9 and 10.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..messages import fmt, must_fill
from ..view import View, codes, describe, filled

ONLINE_PAYMENT = "3"  # payment_method 网上支付


@rule(
    "R09a",
    _("A free item lists no fees and offers no online payment"),
    codes=["E08.01", "E08.02", "B00.22"],
    reference="README cross-field rule 9",
)
def free_item_has_no_fees(view: View) -> Iterator[Issue]:
    if view.value("E08.01") is not False:
        return
    fees = view.rows("fee_item")
    if fees:
        yield issue(
            fmt(
                _(
                    "The item is free of charge, but fee items are listed (%(fees)s). Remove them "
                    "or set “Charged” to yes."
                ),
                fees=[describe("fee_item", row) for row in fees],
            ),
            "E08.01",
            "E08.02",
        )
    if view.value("B00.22") is True:
        yield issue(
            _(
                "The item is free of charge, so it cannot offer online payment; set “Supports "
                "online payment” to no."
            ),
            "B00.22",
            "E08.01",
        )


@rule(
    "R09b",
    _("A charged item lists its fees, each with a basis"),
    codes=["E08.01", "E08.02", "E08.05"],
    reference="README cross-field rule 9",
)
def charged_item_has_fees(view: View) -> Iterator[Issue]:
    if view.value("E08.01") is not True:
        return
    fees = view.rows("fee_item")
    if not fees:
        yield issue(
            _("The item is charged, but no fee item is listed. Add each fee with its basis."),
            "E08.01",
            "E08.02",
        )
    for row in fees:
        if not filled(row.get("E08.05")):
            reason = fmt(_("the fee “%(fee)s” is charged"), fee=describe("fee_item", row))
            yield issue(must_fill("E08.05", reason), "E08.05", row=row)


@rule(
    "R09c",
    _("Online payment is offered exactly when a fee can be paid online"),
    codes=["B00.22", "E08.09"],
    reference="README cross-field rule 9",
)
def online_payment_agrees(view: View) -> Iterator[Issue]:
    supports = view.value("B00.22")
    online = [row for row in view.rows("fee_item") if ONLINE_PAYMENT in codes(row.get("E08.09"))]
    if supports is True and not online:
        yield issue(
            _(
                "“Supports online payment” is yes, but no fee item lists 网上支付 among its "
                "payment methods."
            ),
            "B00.22",
            "E08.09",
        )
    if supports is False:
        for row in online:
            yield issue(
                fmt(
                    _(
                        "The fee “%(fee)s” can be paid online (网上支付), but “Supports online "
                        "payment” is no."
                    ),
                    fee=describe("fee_item", row),
                ),
                "E08.09",
                "B00.22",
                row=row,
            )


@rule(
    "R10a",
    _("A fee reduction states when it applies and its basis"),
    codes=["E08.06", "E08.07", "E08.08"],
    reference="README cross-field rule 10",
)
def reductions_are_described(view: View) -> Iterator[Issue]:
    for row in view.rows("fee_item"):
        if row.get("E08.06") is True:
            reason = fmt(
                _("the fee “%(fee)s” can be reduced or waived"), fee=describe("fee_item", row)
            )
            for code in ("E08.07", "E08.08"):
                if not filled(row.get(code)):
                    yield issue(must_fill(code, reason), code, "E08.06", row=row)


@rule(
    "R10b",
    _("A charged special procedure cites its fee basis"),
    codes=["E06.16", "E06.17"],
    reference="README cross-field rule 10",
)
def special_procedure_fee_basis(view: View) -> Iterator[Issue]:
    for row in view.rows("special_procedure"):
        if row.get("E06.16") is True and not filled(row.get("E06.17")):
            reason = fmt(
                _("the special procedure “%(procedure)s” is charged"),
                procedure=describe("special_procedure", row),
            )
            yield issue(must_fill("E06.17", reason), "E06.17", "E06.16", row=row)


@rule(
    "R10c",
    _("A charged other process names its fee items"),
    codes=["PX.14", "PX.15"],
    reference="README cross-field rule 10",
)
def process_fee_refs(view: View) -> Iterator[Issue]:
    for row in view.applicable_processes():
        if row.get("PX.14") is True and not filled(row.get("PX.15")):
            reason = fmt(_("%(process)s is charged"), process=describe("other_process", row))
            yield issue(must_fill("PX.15", reason), "PX.15", "PX.14", row=row)
