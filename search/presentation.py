"""What a result row shows, from an entry alone (no further queries)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.urls import reverse
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from standards.models import Region
from standards.registry import REGISTRY

from .highlight import highlight, snippet
from .models import SearchEntry
from .text import fold


@dataclass(frozen=True)
class Row:
    entry: SearchEntry
    url: str
    name: SafeString
    common_names: list[SafeString]
    department: SafeString
    # Where a term matched outside the names and department: (label, text).
    match: tuple[str, SafeString] | None
    level: Any
    time_limit: str
    fee: str
    visits: str


def row(entry: SearchEntry, terms: list[str]) -> Row:
    names = entry.document["names"]
    return Row(
        entry=entry,
        url=reverse(
            "guides:guide",
            kwargs={"basic_code": entry.basic_code, "department_code": entry.department_code},
        ),
        name=highlight(entry.item_name, terms),
        common_names=[highlight(name, terms) for name in names[1:]],
        department=highlight(entry.department_name, terms),
        match=_other_match(entry, terms),
        level=Region.Level(entry.level).label,
        time_limit=time_limit(entry),
        fee=fee(entry.is_charged),
        visits=visits(entry.on_site_visits),
    )


def _other_match(entry: SearchEntry, terms: list[str]) -> tuple[str, SafeString] | None:
    if not terms:
        return None
    shown = "\n".join([*entry.document["names"], entry.department_name])
    folded_shown = fold(shown)
    if all(term in folded_shown for term in terms):
        return None
    for label, texts in (
        (_("Condition"), entry.document["conditions"]),
        (_("Material"), entry.document["materials"]),
    ):
        for text in texts:
            found = snippet(text, terms)
            if found is not None:
                return label, found
    return None


def time_limit(entry: SearchEntry) -> str:
    if entry.promised_limit is None:
        return "—"
    if entry.promised_limit == 0:
        return _("Immediately")
    unit = entry.promised_limit_unit
    codes = REGISTRY.codelist("time_unit")
    label = str(codes.label_for(unit)) if unit in codes else ""
    return f"{entry.promised_limit} {label}".strip()


def fee(is_charged: bool | None) -> str:
    if is_charged is None:
        return "—"
    return _("Charged") if is_charged else _("Free of charge")


def visits(count: int | None) -> str:
    if count is None:
        return "—"
    return ngettext("%(count)d visit", "%(count)d visits", count) % {"count": count}
