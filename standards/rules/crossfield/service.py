"""Service information (E12): channels, phones, office hours and address.

README cross-field rules 30 and 31.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..findings import Severity, Text
from ..messages import code_label, field_ref, fmt, must_fill
from ..text import has_area_code, phone_digits, squash
from ..view import View, codes, filled

# Channel (channel_kind) → the field holding its details, per field group.
CONSULTATION_DETAILS = {"1": "E12.03", "2": "E12.04", "3": "E12.02", "5": "E12.05"}
COMPLAINT_DETAILS = {"1": "E12.08", "2": "E12.09", "3": "E12.07", "4": "E12.10"}

# 3号窗口, A12号窗口, 305室, 窗口12: an address precise to a window or room.
_WINDOW_OR_ROOM = re.compile(
    r"[0-9A-Za-z一二三四五六七八九十百零〇]+号?(?:窗口|窗|室|房间|柜台|服务台)"
    r"|(?:窗口|室|柜台)[0-9A-Za-z]+号?"
)


def names_window_or_room(address: str) -> bool:
    return bool(_WINDOW_OR_ROOM.search(squash(address)))


def _channel_details(
    view: View, channels_code: str, details: dict[str, str], purpose: Text
) -> Iterator[Issue]:
    for channel in sorted(codes(view.value(channels_code))):
        label = code_label("channel_kind", channel)
        detail = details.get(channel)
        if detail is None:
            yield issue(
                fmt(
                    _(
                        "“%(channel)s” is not a channel offered for %(purpose)s; remove it from "
                        "%(field)s."
                    ),
                    channel=label,
                    purpose=purpose,
                    field=field_ref(channels_code),
                ),
                channels_code,
                severity=Severity.ADVISORY,
            )
        elif not filled(view.value(detail)):
            reason = fmt(
                _("%(channel)s is a channel for %(purpose)s"), channel=label, purpose=purpose
            )
            yield issue(must_fill(detail, reason), detail, channels_code)


@rule(
    "R30a",
    _("Each consultation and complaint channel has its details"),
    codes=[
        "E12.01",
        "E12.02",
        "E12.03",
        "E12.04",
        "E12.05",
        "E12.06",
        "E12.07",
        "E12.08",
        "E12.09",
        "E12.10",
    ],
    reference="README cross-field rule 30",
)
def channels_have_details(view: View) -> Iterator[Issue]:
    yield from _channel_details(view, "E12.01", CONSULTATION_DETAILS, _("consultation"))
    yield from _channel_details(view, "E12.06", COMPLAINT_DETAILS, _("complaints"))


@rule(
    "R30b",
    _("Consultation and complaint phones differ"),
    codes=["E12.02", "E12.07"],
    reference="README cross-field rule 30",
)
def phones_differ(view: View) -> Iterator[Issue]:
    consultation, complaint = view.value("E12.02"), view.value("E12.07")
    if consultation and complaint and phone_digits(consultation) == phone_digits(complaint):
        yield issue(
            fmt(
                _(
                    "The consultation phone and the complaint phone are the same number "
                    "(%(phone)s). Complaints need a separate line, outside the handling office."
                ),
                phone=complaint,
            ),
            "E12.07",
            "E12.02",
        )


@rule(
    "R30c",
    _("Consultation and complaint phones have an area code"),
    codes=["E12.02", "E12.07"],
    reference="README cross-field rule 30",
)
def phones_have_area_code(view: View) -> Iterator[Issue]:
    for code in ("E12.02", "E12.07"):
        phone = view.value(code)
        if phone and not has_area_code(phone):
            yield issue(
                fmt(
                    _("%(field)s “%(phone)s” has no area code; write it as e.g. 020-83133333."),
                    field=field_ref(code),
                    phone=phone,
                ),
                code,
            )


@rule(
    "R31a",
    _("Office hours state the working days"),
    codes=["E12.12"],
    reference="README cross-field rule 31",
)
def office_hours_state_working_days(view: View) -> Iterator[Issue]:
    hours = view.value("E12.12")
    if hours and "工作日" not in hours:
        yield issue(
            fmt(
                _(
                    "The office hours “%(hours)s” do not say 工作日. State the working days and "
                    "hours, e.g. 工作日 9:00-12:00, 13:30-17:00."
                ),
                hours=hours,
            ),
            "E12.12",
        )


@rule(
    "R31b",
    _("The office address names a window or room number"),
    codes=["E12.11"],
    severity=Severity.ADVISORY,
    reference="README cross-field rule 31",
)
def office_address_is_precise(view: View) -> Iterator[Issue]:
    address = view.value("E12.11")
    if address and not names_window_or_room(address):
        yield issue(
            fmt(
                _(
                    "The office address “%(address)s” names no window or room number; make it "
                    "precise, e.g. …一楼政务服务大厅3号窗口."
                ),
                address=address,
            ),
            "E12.11",
        )
