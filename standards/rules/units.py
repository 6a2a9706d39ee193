"""Time limits in working days, per the domain README's conventions.

1 工作日 = 1; 7 自然日 = 5 工作日 (a calendar day is 5/7); 1 月 = 21 工作日;
1 小时 = 1/8 工作日. The conversion is a design assumption, so a comparison
that only fails after converting between different units is a warning for the
reviewer (advisory), never a hard block.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from fractions import Fraction
from typing import Any

from .findings import Severity

WORKING_DAY = "1"
CALENDAR_DAY = "2"
HOUR = "3"
MONTH = "4"

WORKING_DAYS_PER_UNIT: dict[str, Fraction] = {
    WORKING_DAY: Fraction(1),
    CALENDAR_DAY: Fraction(5, 7),
    HOUR: Fraction(1, 8),
    MONTH: Fraction(21),
}


@dataclass(frozen=True)
class Span:
    """A duration as entered: a whole number and its `time_unit` code."""

    value: int
    unit: str

    @property
    def working_days(self) -> Fraction:
        return self.value * WORKING_DAYS_PER_UNIT[self.unit]


def span(value: Any, unit: Any) -> Span | None:
    """The duration of a number + unit field pair, or None when either is missing or unknown."""
    if value is None or isinstance(value, bool) or str(unit) not in WORKING_DAYS_PER_UNIT:
        return None
    try:
        return Span(int(value), str(unit))
    except (TypeError, ValueError):
        return None


def to_working_days(value: Any, unit: Any) -> Fraction | None:
    found = span(value, unit)
    return found.working_days if found else None


@dataclass(frozen=True)
class Comparison:
    """The outcome of `total ≤ bound` for some durations against a bound."""

    fits: bool
    same_unit: bool
    total_days: Fraction
    bound_days: Fraction

    @property
    def severity(self) -> Severity:
        """Blocking when the units agree (no conversion involved), advisory otherwise."""
        return Severity.BLOCKING if self.same_unit else Severity.ADVISORY


def at_most(parts: Span | Iterable[Span], bound: Span) -> Comparison:
    """Whether the duration(s) in `parts` add up to no more than `bound`."""
    spans = [parts] if isinstance(parts, Span) else list(parts)
    same_unit = all(s.unit == bound.unit for s in spans)
    total_days = sum((s.working_days for s in spans), Fraction(0))
    if same_unit:
        # No conversion: compare the numbers as entered, exactly.
        fits = sum(s.value for s in spans) <= bound.value
    else:
        fits = total_days <= bound.working_days
    return Comparison(fits, same_unit, total_days, bound.working_days)
