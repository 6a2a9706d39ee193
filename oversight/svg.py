"""Bar charts drawn on the server as accessible SVG.

Each chart is an `<svg role="img">` with a `<title>` and `<desc>`, a text
label on every category and every bar, and series told apart by fill
pattern (solid, hatched, dotted) as well as by shade — never by colour
alone. The data table under each chart carries the same figures.
All text goes through `format_html`, so names typed by users are escaped.
"""

from __future__ import annotations

import itertools
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

PATTERNS = ("solid", "hatch", "dots")
_ids = itertools.count()

WIDTH = 720
LABEL_WIDTH = 220
BAR_HEIGHT = 14
BAR_GAP = 4
GROUP_GAP = 12
VALUE_ROOM = 70


@dataclass(frozen=True)
class Series:
    name: str
    values: Sequence[float]


def _defs(prefix: str) -> SafeString:
    return format_html(
        "<defs>"
        '<pattern id="{0}-hatch" width="6" height="6" patternUnits="userSpaceOnUse"'
        ' patternTransform="rotate(45)"><rect width="6" height="6" fill="#fff"/>'
        '<line x1="0" y1="0" x2="0" y2="6" stroke="#1f4e79" stroke-width="3"/></pattern>'
        '<pattern id="{0}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        '<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.6" fill="#7a3b00"/>'
        "</pattern></defs>",
        prefix,
    )


def _fill(prefix: str, index: int) -> str:
    pattern = PATTERNS[index % len(PATTERNS)]
    return "#2b6cb0" if pattern == "solid" else f"url(#{prefix}-{pattern})"


def _number(value: float) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def bar_chart(
    title: str,
    description: str,
    categories: Sequence[str],
    series: Sequence[Series],
    unit: str = "",
) -> SafeString:
    """Horizontal grouped bars: one group per category, one bar per series."""
    prefix = f"chart{next(_ids)}"
    peak = max((v for s in series for v in s.values if v), default=0) or 1
    scale = (WIDTH - LABEL_WIDTH - VALUE_ROOM) / peak
    group_height = len(series) * (BAR_HEIGHT + BAR_GAP) + GROUP_GAP
    legend_height = 24 if len(series) > 1 else 0
    height = legend_height + max(len(categories), 1) * group_height + 8
    parts = [_defs(prefix)]
    if legend_height:
        x = LABEL_WIDTH
        for index, one in enumerate(series):
            parts.append(
                format_html(
                    '<rect x="{}" y="4" width="14" height="14" fill="{}" stroke="#333"/>'
                    '<text x="{}" y="16" font-size="12">{}</text>',
                    x,
                    _fill(prefix, index),
                    x + 18,
                    one.name,
                )
            )
            x += 30 + 13 * len(one.name)
    for row, category in enumerate(categories):
        top = legend_height + row * group_height
        parts.append(
            format_html(
                '<text x="{}" y="{}" font-size="12" text-anchor="end">{}</text>',
                LABEL_WIDTH - 8,
                top + BAR_HEIGHT,
                category,
            )
        )
        for index, one in enumerate(series):
            value = one.values[row] or 0
            y = top + index * (BAR_HEIGHT + BAR_GAP)
            label = (
                f"{one.name} {_number(value)}{unit}"
                if len(series) > 1
                else f"{_number(value)}{unit}"
            )
            parts.append(
                format_html(
                    '<rect x="{}" y="{}" width="{}" height="{}" fill="{}" stroke="#333"'
                    ' stroke-width="0.5"><title>{}: {}</title></rect>'
                    '<text x="{}" y="{}" font-size="11">{}</text>',
                    LABEL_WIDTH,
                    y,
                    max(round(value * scale, 1), 0.5),
                    BAR_HEIGHT,
                    _fill(prefix, index),
                    category,
                    label,
                    LABEL_WIDTH + value * scale + 4,
                    y + BAR_HEIGHT - 3,
                    label,
                )
            )
    return format_html(
        '<svg xmlns="http://www.w3.org/2000/svg" class="oversight-chart" role="img"'
        ' viewBox="0 0 {} {}" aria-labelledby="{}-title {}-desc">'
        '<title id="{}-title">{}</title><desc id="{}-desc">{}</desc>{}</svg>',
        WIDTH,
        height,
        prefix,
        prefix,
        prefix,
        title,
        prefix,
        description,
        format_html_join("", "{}", ((p,) for p in parts)),
    )
