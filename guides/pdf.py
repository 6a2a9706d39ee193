"""The service guide (办事指南) as a PDF, typeset by WeasyPrint.

`render_guide_pdf(snapshot, public_url=...)` wraps the `<article>` of
`guides.rendering.render_guide_html` in a minimal document and lays it out with
`guides/print/guide.css` (A4, the small faces cut from Noto Sans CJK SC by
`guides.fonts` with the system font behind them, a running
header with the basic code and version, a "第 X 页 / 共 Y 页" footer). A QR code of
the guide's public address, with the address printed under it, stands beside the
title on the first page; it is an inline SVG, so it is drawn as vector paths.

Nothing is fetched: the stylesheet is read from disk and passed as a string, the
HTML is passed as a string, and the URL fetcher allows `data:` URLs and the
generated font files only. Every
text of the snapshot reaches the document escaped (by the HTML renderer, and by
`format_html` here).

Rendering is CPU-bound and single-threaded and holds the whole document in memory:
call it from a worker process, not a web worker.
"""

from __future__ import annotations

import datetime
import threading
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlparse

import segno
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher

from guides.fonts import FONT_STACK, font_dir, font_face_css
from guides.rendering import render_guide_html
from guides.rendering.flowchart import FONT_FAMILY as CHART_FONTS

STYLESHEET = Path(__file__).resolve().parent / "print" / "guide.css"

# Tagged PDF: WeasyPrint 70 accepts `pdf_variant="pdf/ua-1"` for the guide (PDF 1.7,
# structure tree, `pdfuaid:part` in the XMP metadata). If a WeasyPrint version
# refuses the variant, `render_guide_pdf` falls back to plain `pdf_tags=True`.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
FALLBACK_OPTIONS: dict[str, Any] = {"pdf_tags": True}


class PrintURLFetcher(URLFetcher):
    """Fetches `data:` URLs and the generated font files, and nothing else."""

    def __init__(self) -> None:
        super().__init__(allowed_protocols=("data", "file"), fail_on_errors=True)

    def fetch(self, url: str, headers: Any = None) -> Any:
        if url.startswith("file:"):
            path = Path(unquote(urlparse(url).path)).resolve()
            if not path.is_relative_to(font_dir().resolve()):
                raise ValueError(f"Only the generated fonts may be read, not {url}")
        return super().fetch(url, headers)


_per_thread = threading.local()


def _print_styles(font_family: str = FONT_STACK) -> tuple[CSS, FontConfiguration]:
    """The stylesheet and the font configuration holding the @font-face files.

    Built once per thread (and font family) and reused: loading the faces costs
    a tenth of a render, and fontconfig objects must not be shared between threads.
    """
    styles: dict[str, tuple[CSS, FontConfiguration]] | None = getattr(_per_thread, "styles", None)
    if styles is None:
        styles = _per_thread.styles = {}
    if font_family not in styles:
        font_config = FontConfiguration()
        stylesheet = CSS(
            string=_stylesheet_text(font_family),
            url_fetcher=PrintURLFetcher(),
            font_config=font_config,
        )
        styles[font_family] = (stylesheet, font_config)
    return styles[font_family]


@cache
def _stylesheet_text(font_family: str = FONT_STACK) -> str:
    fonts = f"{font_face_css()}\n@page {{ font-family: {font_family}; }}\n"
    fonts += f"html, svg text {{ font-family: {font_family}; }}\n"
    return fonts + STYLESHEET.read_text(encoding="utf-8")


def qr_code(url: str) -> SafeString:
    """An inline `<svg>` QR code of `url`: paths only, the URL itself is not in the markup."""
    svg = segno.make(url, error="m").svg_inline(scale=2, omitsize=True, title=None)
    return mark_safe(svg)  # noqa: S308 - segno's output: paths only, the URL is not in it


def header_text(snapshot: Mapping[str, Any]) -> str:
    """The running header: the item's basic code and "v{version number}"."""
    meta = snapshot.get("standard") or {}
    code = str((meta.get("item") or {}).get("basic_code") or "")
    number = (meta.get("version") or {}).get("number")
    return f"{code} v{number}" if number is not None else code


def guide_document(
    snapshot: Mapping[str, Any],
    *,
    public_url: str,
    published_on: datetime.date | None = None,
    link_base: str = "",
    font_family: str | None = None,
) -> str:
    """The whole HTML document that is typeset (useful for debugging the print CSS)."""
    meta = snapshot.get("standard") or {}
    title = str((meta.get("item") or {}).get("name") or "办事指南")
    guide_fragment = render_guide_html(
        snapshot,
        published_on=published_on,
        link_base=link_base,
        # WeasyPrint draws the flow chart apart from the CSS: it names its fonts itself.
        chart_fonts=f"{font_family}, sans-serif" if font_family else CHART_FONTS,
    )
    return format_html(
        '<!DOCTYPE html><html lang="zh-Hans"><head><meta charset="utf-8">'
        "<title>{}</title></head><body>"
        '<p class="pdf-meta">{}</p>'
        '<div class="pdf-qr">{}<p>{}</p></div>'
        "{}</body></html>",
        title,
        header_text(snapshot),
        qr_code(public_url),
        public_url,
        mark_safe(guide_fragment),  # noqa: S308 - escaped by the renderer
    )


def render_guide_pdf(
    snapshot: Mapping[str, Any],
    *,
    public_url: str,
    published_on: datetime.date | None = None,
    link_base: str = "",
    font_family: str | None = None,
) -> bytes:
    """The guide of a snapshot as PDF bytes, with a QR code of `public_url`.

    `link_base` is the site's public address: the PDF's links to blank forms
    and samples must work outside the site. `font_family` (a CSS font-family
    list) replaces the guide's faces everywhere, flow chart included; only
    `bench/pdf_bench.py` sets it, to time the same document in a Latin-only font.
    """
    fetcher = PrintURLFetcher()
    html = HTML(
        string=guide_document(
            snapshot,
            public_url=public_url,
            published_on=published_on,
            link_base=link_base,
            font_family=font_family,
        ),
        url_fetcher=fetcher,
        base_url=None,
    )
    stylesheet, font_config = _print_styles(font_family or FONT_STACK)
    options = {"stylesheets": [stylesheet], "font_config": font_config}
    try:
        pdf = html.write_pdf(**options, **PDF_OPTIONS)
    except (ValueError, KeyError, NotImplementedError):  # pragma: no cover - older WeasyPrint
        pdf = html.write_pdf(**options, **FALLBACK_OPTIONS)
    if pdf is None:  # pragma: no cover - only when a target file is given
        raise RuntimeError("WeasyPrint wrote no PDF")
    return pdf
