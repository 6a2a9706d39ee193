"""The service guide (办事指南) as a PDF, typeset by WeasyPrint.

`render_guide_pdf(snapshot, public_url=...)` wraps the `<article>` of
`guides.rendering.render_guide_html` in a minimal document and lays it out with
`guides/print/guide.css` (A4, Noto Sans CJK SC through fontconfig, a running
header with the basic code and version, a "第 X 页 / 共 Y 页" footer). A QR code of
the guide's public address, with the address printed under it, stands beside the
title on the first page; it is an inline SVG, so it is drawn as vector paths.

Nothing is fetched: the stylesheet is read from disk and passed as a string, the
HTML is passed as a string, and the URL fetcher allows `data:` URLs only. Every
text of the snapshot reaches the document escaped (by the HTML renderer, and by
`format_html` here).

Rendering is CPU-bound and single-threaded and holds the whole document in memory:
call it from a worker process, not a web worker.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

import segno
from django.utils.html import format_html
from django.utils.safestring import SafeString, mark_safe
from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from guides.rendering import render_guide_html

STYLESHEET = Path(__file__).resolve().parent / "print" / "guide.css"
FONT_FAMILY = "Noto Sans CJK SC"
# WeasyPrint draws an inline SVG apart from the document's CSS: without a
# `font-family` on the `<svg>`, the chart's text falls back to fontconfig's default
# CJK face (Noto Sans CJK JP here), which embeds a second ~90 KB font subset.
_CHART_TAG = '<svg class="guide-flow-chart" '

# Tagged PDF: WeasyPrint 70 accepts `pdf_variant="pdf/ua-1"` for the guide (PDF 1.7,
# structure tree, `pdfuaid:part` in the XMP metadata). If a WeasyPrint version
# refuses the variant, `render_guide_pdf` falls back to plain `pdf_tags=True`.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}
FALLBACK_OPTIONS: dict[str, Any] = {"pdf_tags": True}


def _fetcher() -> URLFetcher:
    """A fetcher that never reaches the network nor the file system."""
    return URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


@cache
def _stylesheet() -> CSS:
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_fetcher())


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


def guide_document(snapshot: Mapping[str, Any], *, public_url: str) -> str:
    """The whole HTML document that is typeset (useful for debugging the print CSS)."""
    meta = snapshot.get("standard") or {}
    title = str((meta.get("item") or {}).get("name") or "办事指南")
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
        mark_safe(_print_fragment(render_guide_html(snapshot))),  # noqa: S308 - escaped by the renderer
    )


def _print_fragment(fragment: str) -> str:
    """The renderer's fragment with the flow charts set in the document's font."""
    return fragment.replace(_CHART_TAG, f'{_CHART_TAG}font-family="{FONT_FAMILY}" ')


def render_guide_pdf(snapshot: Mapping[str, Any], *, public_url: str) -> bytes:
    """The guide of a snapshot as PDF bytes, with a QR code of `public_url`."""
    html = HTML(
        string=guide_document(snapshot, public_url=public_url),
        url_fetcher=_fetcher(),
        base_url=None,
    )
    try:
        pdf = html.write_pdf(stylesheets=[_stylesheet()], **PDF_OPTIONS)
    except (ValueError, KeyError, NotImplementedError):  # pragma: no cover - older WeasyPrint
        pdf = html.write_pdf(stylesheets=[_stylesheet()], **FALLBACK_OPTIONS)
    if pdf is None:  # pragma: no cover - only when a target file is given
        raise RuntimeError("WeasyPrint wrote no PDF")
    return pdf
