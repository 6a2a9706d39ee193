"""Basic information (B00) against the rest: 即办, visits, online handling, service flags.

README cross-field rules 3–8, 11 and 12.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.utils.translation import gettext_lazy as _

from ..engine import Issue, issue, rule
from ..findings import Text
from ..messages import code_label, duration, field_ref, fmt, must_fill
from ..view import View, codes, filled

IMMEDIATE = "1"  # case_type 即办件 and review_type 即审即办 share the code
ONLINE_HANDLING_DEPTH = 5  # online_depth 5 互联网办理


def online_depth(view: View) -> int | None:
    """B00.16 as a stage 1–7; code 8 其他 is not a stage of the cumulative scale."""
    value = view.value("B00.16")
    try:
        depth = int(value)
    except (TypeError, ValueError):
        return None
    return depth if 1 <= depth <= 7 else None


@rule(
    "R03a",
    _("即办件, 即审即办 and a promised limit of 0 go together"),
    codes=["B00.12", "B00.13", "E06.05"],
    reference="README cross-field rule 3",
)
def immediate_case_agrees(view: View) -> Iterator[Issue]:
    case, review, promised = view.value("B00.12"), view.value("B00.13"), view.value("E06.05")
    # Each known value says "immediate" or "not immediate"; all known ones must agree.
    known = {
        code: flag
        for code, value, flag in (
            ("B00.12", case, str(case) == IMMEDIATE),
            ("B00.13", review, str(review) == IMMEDIATE),
            ("E06.05", promised, promised == 0),
        )
        if filled(value)
    }
    if len(set(known.values())) > 1:
        yield issue(
            fmt(
                _(
                    "Case type is “%(case)s”, review type is “%(review)s” and the promised time "
                    "limit is %(promised)s. They must agree: an immediate case (即办件) is "
                    "reviewed and decided on the spot (即审即办) with a promised limit of 0, and "
                    "any other case has neither."
                ),
                case=code_label("case_type", case) if case else "—",
                review=code_label("review_type", review) if review else "—",
                promised=duration(promised, view.value("E06.06")),
            ),
            *known,
        )


@rule(
    "R03b",
    _("An immediate case states when the decision is made on the spot"),
    codes=["B00.12", "P05.09"],
    reference="README cross-field rule 3",
)
def immediate_case_has_on_the_spot_rules(view: View) -> Iterator[Issue]:
    if str(view.value("B00.12")) == IMMEDIATE and not filled(view.value("P05.09")):
        yield issue(must_fill("P05.09", _("the case type is 即办件")), "P05.09", "B00.12")


@rule(
    "R04a",
    _("On-site visits need a reason"),
    codes=["B00.19", "B00.20"],
    reference="README cross-field rule 4",
)
def visits_have_a_reason(view: View) -> Iterator[Issue]:
    visits = view.value("B00.19")
    if isinstance(visits, int) and visits > 0 and not filled(view.value("B00.20")):
        yield issue(
            must_fill(
                "B00.20", fmt(_("the applicant must come %(visits)s time(s)"), visits=visits)
            ),
            "B00.20",
            "B00.19",
        )


@rule(
    "R04b",
    _("Zero on-site visits needs online handling or express delivery"),
    codes=["B00.19", "B00.16", "B00.23"],
    reference="README cross-field rule 4",
)
def zero_visits_is_possible(view: View) -> Iterator[Issue]:
    if view.value("B00.19") != 0:
        return
    depth = online_depth(view)
    if (depth is not None and depth >= ONLINE_HANDLING_DEPTH) or view.value("B00.23") is True:
        return
    yield issue(
        fmt(
            _(
                "On-site visits is 0, but online handling only reaches “%(depth)s” and express "
                "delivery is not supported, so the applicant would still have to come in. Raise "
                "the online-handling depth to 互联网办理 (5) or above, support express "
                "delivery, or correct the number of visits."
            ),
            depth=code_label("online_depth", view.value("B00.16")) if view.value("B00.16") else "—",
        ),
        "B00.19",
        "B00.16",
        "B00.23",
    )


@rule(
    "R05",
    _("Online handling needs its addresses and steps"),
    codes=["B00.15", "B00.16", "B00.17", "B00.18", "P02.03", "P02.04", "P02.06", "P02.07"],
    reference="README cross-field rule 5",
)
def online_handling_is_described(view: View) -> Iterator[Issue]:
    forms, depth = codes(view.value("B00.15")), online_depth(view)
    online = "2" in forms or (depth is not None and depth >= 2)
    reason = _("the item can be applied for online (handling form 2 or online depth 2 or more)")
    if online:
        for code in ("B00.17", "P02.03", "P02.04"):
            if not filled(view.value(code)):
                yield issue(must_fill(code, reason), code, "B00.15", "B00.16")
    if "3" in forms and not filled(view.value("B00.18")):
        yield issue(
            must_fill("B00.18", _("the handling forms include 移动端网上申请")), "B00.18", "B00.15"
        )
    if depth is not None and depth >= 3:
        for code in ("P02.06", "P02.07"):
            if not filled(view.value(code)):
                yield issue(
                    must_fill(code, _("online handling reaches 互联网预审 (3) or beyond")),
                    code,
                    "B00.16",
                )


@rule(
    "R06a",
    _("Express applications need a mailing address and a postage payer"),
    codes=["B00.23", "B00.15", "E12.14", "E12.15"],
    reference="README cross-field rule 6",
)
def express_has_mailing_details(view: View) -> Iterator[Issue]:
    if view.value("B00.23") is True:
        reason = _("the item supports express delivery")
    elif "4" in codes(view.value("B00.15")):
        reason = _("the handling forms include 快递申请")
    else:
        return
    for code in ("E12.14", "E12.15"):
        if not filled(view.value(code)):
            yield issue(must_fill(code, reason), code, "B00.23", "B00.15")


@rule(
    "R06b",
    _("Delivering results by express means the item supports express delivery"),
    codes=["E07.13", "B00.23"],
    reference="README cross-field rule 6",
)
def express_delivery_is_supported(view: View) -> Iterator[Issue]:
    if "2" in codes(view.value("E07.13")) and view.value("B00.23") is False:
        yield issue(
            _(
                "Results can be delivered by express (快递送达), but “Supports express delivery” "
                "is no. Set it to yes, or remove express delivery from the result delivery methods."
            ),
            "B00.23",
            "E07.13",
        )


@rule(
    "R07",
    _("Appointments are described when the item supports them"),
    codes=[
        "B00.21",
        "P01.01",
        "P01.02",
        "P01.03",
        "P01.04",
        "P01.05",
        "P01.06",
        "P01.07",
    ],
    reference="README cross-field rule 7",
)
def appointment_is_described(view: View) -> Iterator[Issue]:
    if view.value("B00.21") is not True:
        return
    reason = _("the item supports appointments")
    for code in ("P01.01", "P01.02", "P01.03", "P01.04", "P01.05"):
        if not filled(view.value(code)):
            yield issue(must_fill(code, reason), code, "B00.21")
    channels = codes(view.value("P01.01"))
    if "1" in channels and not filled(view.value("P01.07")):
        yield issue(must_fill("P01.07", _("appointments can be made by phone")), "P01.07", "P01.01")
    if channels & {"2", "3"} and not filled(view.value("P01.06")):
        yield issue(
            must_fill("P01.06", _("appointments can be made on the website or mobile app")),
            "P01.06",
            "P01.01",
        )


@rule(
    "R08",
    _("Self-service terminals are located"),
    codes=["B00.24", "E12.16"],
    reference="README cross-field rule 8",
)
def terminals_are_located(view: View) -> Iterator[Issue]:
    if view.value("B00.24") is True and not filled(view.value("E12.16")):
        yield issue(
            must_fill("E12.16", _("the item supports self-service terminals")), "E12.16", "B00.24"
        )


def _themes_match(
    view: View, theme_code: str, objects: set[str], audience: Text
) -> Iterator[Issue]:
    serves = bool(codes(view.value("B00.09")) & objects)
    themed = filled(view.value(theme_code))
    if serves and not themed:
        yield issue(
            fmt(
                _("%(field)s is empty, but the service object includes %(audience)s."),
                field=field_ref(theme_code),
                audience=audience,
            ),
            theme_code,
            "B00.09",
        )
    elif themed and not serves and filled(view.value("B00.09")):
        yield issue(
            fmt(
                _(
                    "%(field)s is filled, but the service object does not include %(audience)s. "
                    "Clear the themes or add the service object."
                ),
                field=field_ref(theme_code),
                audience=audience,
            ),
            theme_code,
            "B00.09",
        )


@rule(
    "R11a",
    _("Natural-person themes match the service object"),
    codes=["B00.09", "B00.10"],
    reference="README cross-field rule 11",
)
def natural_person_themes(view: View) -> Iterator[Issue]:
    yield from _themes_match(view, "B00.10", {"1"}, _("natural persons (自然人)"))


@rule(
    "R11b",
    _("Legal-person themes match the service object"),
    codes=["B00.09", "B00.11"],
    reference="README cross-field rule 11",
)
def legal_person_themes(view: View) -> Iterator[Issue]:
    yield from _themes_match(
        view, "B00.11", {"2", "3", "4", "5", "6"}, _("legal persons or other organisations")
    )


@rule(
    "R12",
    _("Items managed at several levels divide the authority"),
    codes=["B00.06", "B00.07"],
    reference="README cross-field rule 12",
)
def levels_are_divided(view: View) -> Iterator[Issue]:
    if str(view.value("B00.06")) == "7" and not filled(view.value("B00.07")):
        yield issue(must_fill("B00.07", _("the exercise level is 分级管理")), "B00.07", "B00.06")
