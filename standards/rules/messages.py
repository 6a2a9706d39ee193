"""Lazy message formatting for findings.

Messages are `gettext_lazy` strings with `%(name)s` placeholders. `fmt` fills
them without translating yet: the result is itself lazy and is rendered (and
translated) only when shown, so one finding can be read in either language.
Values may be lazy too (registry labels are bilingual) and are rendered at the
same moment.
"""

from __future__ import annotations

from collections.abc import Iterable
from fractions import Fraction
from typing import Any

from django.utils.functional import lazy
from django.utils.translation import gettext_lazy as _

from standards.registry import REGISTRY

from .findings import Text

LIST_SEPARATOR = "、"


def _as_text(value: Any) -> str:
    if isinstance(value, list | tuple):
        return LIST_SEPARATOR.join(_as_text(v) for v in value)
    return str(value)


def _render(message: Text, values: dict[str, Any]) -> str:
    return str(message) % {name: _as_text(value) for name, value in values.items()}


_lazy_render = lazy(_render, str)


def fmt(message: Text, **values: Any) -> Text:
    """`message % values`, evaluated only when the result is rendered."""
    return _lazy_render(message, dict(values))


def _join(parts: tuple[Any, ...], separator: str) -> str:
    return separator.join(_as_text(p) for p in parts)


_lazy_join = lazy(_join, str)


def join(parts: Iterable[Any], separator: str = " ") -> Text:
    """Lazily join texts, some of which may be lazy."""
    return _lazy_join(tuple(parts), separator)


def code_label(codelist: str, code: Any) -> Text:
    """The label of `code` in `codelist` (e.g. 即办件), or the raw code when unknown."""
    try:
        return REGISTRY.codelist(codelist).label_for(str(code))
    except KeyError:
        return str(code)


def field_label(code: str) -> Text:
    return REGISTRY[code].label


def number(value: Fraction | int | float) -> str:
    """A short decimal: 5, 4.3, 0.13."""
    if isinstance(value, int) or (isinstance(value, Fraction) and value.denominator == 1):
        return str(int(value))
    return f"{float(value):.2f}".rstrip("0").rstrip(".")


# How a number of each time unit (`time_unit` code) reads, e.g. "5 working day(s)", "5个工作日".
_DURATIONS = {
    "1": _("%(count)s working day(s)"),
    "2": _("%(count)s calendar day(s)"),
    "3": _("%(count)s hour(s)"),
    "4": _("%(count)s month(s)"),
}


def duration(value: Any, unit: Any) -> Text:
    """A number with its time unit, e.g. "5 working day(s)"; "—" when there is no number."""
    if value is None:
        return "—"
    pattern = _DURATIONS.get(str(unit)) if unit else None
    return fmt(pattern, count=value) if pattern else str(value)


def field_ref(code: str) -> Text:
    """A field as staff see it on the form: its label with its code, e.g. 承诺办结时限（E06.05）."""
    return fmt(_("%(label)s (%(code)s)"), label=field_label(code), code=code)


def must_fill(code: str, reason: Text) -> Text:
    return fmt(
        _("%(field)s must be filled in because %(reason)s."), field=field_ref(code), reason=reason
    )
