"""Durations and their unit fields.

The registry stores a time limit as two fields: a number (type duration) and,
right after it, its unit (a choice from the time_unit or validity_unit code
list). Readers want them as one value ("20 个工作日"), and the change note
compares them across units, so both are handled here.
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from standards.registry import REGISTRY, Field, FieldType, Group

UNIT_CODELISTS = frozenset({"time_unit", "validity_unit"})

# Lengths in working days, so that limits in different units can be compared:
# a working week is 5 of 7 calendar days, a month 21 working days, a working
# day 8 hours.
_MONTH = Fraction(21)
WORKING_DAYS: dict[tuple[str, str], Fraction] = {
    ("time_unit", "1"): Fraction(1),  # 工作日
    ("time_unit", "2"): Fraction(5, 7),  # 自然日
    ("time_unit", "3"): Fraction(1, 8),  # 小时
    ("time_unit", "4"): _MONTH,  # 月
    ("validity_unit", "1"): 12 * _MONTH,  # 年
    ("validity_unit", "2"): _MONTH,  # 月
    ("validity_unit", "3"): Fraction(5, 7),  # 日 (calendar days)
}
# 长期: a validity without expiry; it has no number and outlasts any period.
NO_EXPIRY = ("validity_unit", "4")

# Units counted with the measure word 个 in Chinese: "20 个工作日", "6 个月",
# but "3 年", "30 日".
_WITH_GE = frozenset({*(("time_unit", c) for c in "1234"), ("validity_unit", "2")})


def unit_field(group: Group, field: Field) -> Field | None:
    """The unit field that belongs to a duration field, if it has one."""
    if field.type is not FieldType.DURATION:
        return None
    fields = group.fields
    index = fields.index(field)
    if index + 1 < len(fields):
        following = fields[index + 1]
        if following.type is FieldType.CHOICE and following.codelist in UNIT_CODELISTS:
            return following
    return None


def duration_pairs(group: Group) -> dict[str, Field]:
    """Duration field code -> its unit field, for the group's durations that have one."""
    pairs = {}
    for field in group.fields:
        unit = unit_field(group, field)
        if unit is not None:
            pairs[field.code] = unit
    return pairs


def in_working_days(number: Any, unit_field: Field, unit: Any) -> Fraction | float | None:
    """The length in working days; infinity for 长期; None when it cannot be told."""
    key = (unit_field.codelist, unit)
    if key == NO_EXPIRY:
        return float("inf")
    if number is None or key not in WORKING_DAYS:
        return None
    return number * WORKING_DAYS[key]


def format_duration(number: Any, unit_field: Field, unit: Any) -> str:
    """ "20 个工作日" in Chinese, "20 working days" in English."""
    key = (unit_field.codelist, unit)
    if unit in (None, ""):
        return _("(empty)") if number is None else str(number)
    try:
        code = next(c for c in REGISTRY.codelist(unit_field.codelist) if c.code == unit)
    except StopIteration:
        return f"{'' if number is None else number} {unit}".strip()
    if key == NO_EXPIRY or number is None:
        return str(code.label)
    if (get_language() or "zh-hans").startswith("en") and code.label_en:
        plural = "" if number == 1 else "s"
        return f"{number} {code.label_en.lower()}{plural}"
    measure = "个" if key in _WITH_GE else ""
    return f"{number} {measure}{code.label_zh}"
