"""The procedure flow chart: an inline SVG drawn from link benchmark rows.

Boxes are stacked top to bottom (it reads on a phone as well as on paper),
joined by arrows. Coordinates depend only on the steps, so the same steps
always give the same bytes; every text goes through `format_html`.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from guides.fonts import FONT_STACK

# WeasyPrint draws an inline SVG apart from the document's CSS: without its own
# font-family the chart's text falls back to fontconfig's default CJK face (the
# Japanese one here), which embeds a second font subset in the PDF. On the web
# page the printed faces are absent and the browser falls back along the list.
FONT_FAMILY = f"{FONT_STACK}, sans-serif"
WIDTH = 320
BOX_X = 20
BOX_WIDTH = WIDTH - 2 * BOX_X
TOP = 12
LINE_HEIGHT = 20
PADDING = 12
GAP = 36
CHARS_PER_LINE = 16


@dataclass(frozen=True)
class Step:
    number: str
    name: str
    time_limit: str


def _lines(text: str, width: int = CHARS_PER_LINE) -> list[str]:
    """Cut a (mostly Chinese) text into lines of at most `width` characters."""
    text = " ".join(text.split())
    return [text[i : i + width] for i in range(0, len(text), width)] or [""]


def flow_chart(steps: list[Step], title: str, *, font_family: str = FONT_FAMILY) -> SafeString:
    """An `<svg>` of the steps in the order given."""
    parts: list[SafeString] = []
    y = TOP
    centre = BOX_X + BOX_WIDTH // 2
    for index, step in enumerate(steps):
        name_lines = _lines(f"{step.number}. {step.name}" if step.number else step.name)
        texts = [(line, "guide-flow-name") for line in name_lines]
        if step.time_limit:
            texts.append((step.time_limit, "guide-flow-time"))
        height = 2 * PADDING + LINE_HEIGHT * len(texts)
        if index:
            parts.append(_arrow(centre, y - GAP, y))
        parts.append(
            format_html(
                '<rect x="{}" y="{}" width="{}" height="{}" rx="8" ry="8" '
                'fill="#f4f8fc" stroke="#1f5f99" stroke-width="1.5"/>',
                BOX_X,
                y,
                BOX_WIDTH,
                height,
            )
        )
        parts.append(
            format_html_join(
                "",
                '<text x="{}" y="{}" text-anchor="middle" class="{}"{}>{}</text>',
                (
                    (
                        centre,
                        y + PADDING + LINE_HEIGHT * (line_index + 1) - 5,
                        css,
                        _text_style(css),
                        line,
                    )
                    for line_index, (line, css) in enumerate(texts)
                ),
            )
        )
        y += height + GAP
    total_height = max(y - GAP + TOP, 2 * TOP)
    return format_html(
        '<svg class="guide-flow-chart" xmlns="http://www.w3.org/2000/svg" role="img" '
        'font-family="{}" viewBox="0 0 {} {}" width="{}" height="{}" aria-label="{}">'
        "<title>{}</title>{}</svg>",
        font_family,
        WIDTH,
        total_height,
        WIDTH,
        total_height,
        title,
        title,
        SafeString("".join(parts)),
    )


def _text_style(css: str) -> SafeString:
    if css == "guide-flow-time":
        return SafeString(' font-size="13" fill="#555555"')
    return SafeString(' font-size="15" fill="#1a1a1a"')


def _arrow(x: int, top: int, bottom: int) -> SafeString:
    return format_html(
        '<line x1="{}" y1="{}" x2="{}" y2="{}" stroke="#1f5f99" stroke-width="1.5"/>'
        '<polygon points="{},{} {},{} {},{}" fill="#1f5f99"/>',
        x,
        top,
        x,
        bottom - 8,
        x - 6,
        bottom - 9,
        x + 6,
        bottom - 9,
        x,
        bottom,
    )
