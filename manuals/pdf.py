"""The business manual (业务手册) as a PDF, typeset by WeasyPrint.

`render_manual_pdf(snapshot)` lays out the HTML of `manuals.rendering` with the
print stylesheet `manuals/print/manual.css` (A4, Noto Sans CJK SC through
fontconfig, running header and "第 X 页 / 共 Y 页" footer, table of contents with
page numbers from `target-counter()`). Nothing is fetched: the stylesheet is read
from disk and passed as a string, and the URL fetcher allows `data:` URLs only.

The output is deterministic for a given snapshot and WeasyPrint version: the
creation and modification dates are the version's effective date (no clock), and
the PDF file identifier is WeasyPrint's hash of the content.

Rendering is CPU-bound and single-threaded (a few seconds for a sample) and holds
the whole document in memory: call it from a worker process, not a web worker.
"""

from __future__ import annotations

import datetime
import logging
from collections.abc import Mapping
from functools import cache
from pathlib import Path
from typing import Any

from weasyprint import CSS, HTML
from weasyprint.urls import URLFetcher

from manuals.rendering import render_manual_html

STYLESHEET = Path(__file__).resolve().parent / "print" / "manual.css"

# PDF/UA-1 (tagged PDF, PDF 1.7, `pdfuaid:part` in the XMP metadata). WeasyPrint 70
# accepts it for this document; should a later version refuse it, the fallback is
# `pdf_tags=True` without the variant.
PDF_OPTIONS: dict[str, Any] = {"pdf_variant": "pdf/ua-1"}

logger = logging.getLogger(__name__)


@cache
def _stylesheet() -> CSS:
    return CSS(string=STYLESHEET.read_text(encoding="utf-8"), url_fetcher=_fetcher())


def _fetcher() -> URLFetcher:
    """A fetcher that never reaches the network nor the file system."""
    return URLFetcher(allowed_protocols=("data",), fail_on_errors=True)


def css_string(text: str) -> str:
    """`text` as a double-quoted CSS string; anything but plain characters is escaped."""
    escaped = "".join(
        char if char.isalnum() or char in " -_.·:/（）()" else f"\\{ord(char):06x}" for char in text
    )
    return f'"{escaped}"'


def header_text(snapshot: Mapping[str, Any]) -> str:
    """The running header's right part: the item's basic code and the version."""
    meta = snapshot["standard"]
    return f"{meta['item']['basic_code']} · v{int(meta['version']['number'])}"


def effective_date(snapshot: Mapping[str, Any]) -> str | None:
    """The version's effective date (ISO), as on the cover; used as the PDF's dates."""
    version = snapshot["standard"]["version"]
    basic_info = snapshot.get("content", {}).get("basic_info") or {}
    value = version.get("effective_from") or basic_info.get("B00.28")
    return str(value) if value else None


def render_manual_pdf(
    snapshot: Mapping[str, Any],
    *,
    manual_number: str | None = None,
    published_on: datetime.date | None = None,
) -> bytes:
    """The whole manual as PDF bytes."""
    html = render_manual_html(snapshot, manual_number=manual_number, published_on=published_on)
    header = CSS(
        string=f"@page {{ @top-right {{ content: {css_string(header_text(snapshot))}; }} }}"
    )
    document = HTML(string=html, url_fetcher=_fetcher(), media_type="print").render(
        stylesheets=[_stylesheet(), header], **PDF_OPTIONS
    )
    # WeasyPrint takes the dates from <meta name="dcterms.created|modified">, which
    # the HTML renderer does not write; set them here so no clock is involved.
    date = effective_date(snapshot)
    document.metadata.created = date
    document.metadata.modified = date
    pdf = document.write_pdf(**PDF_OPTIONS)
    if pdf is None:  # only when a target is given
        raise RuntimeError("WeasyPrint returned no PDF bytes")
    return pdf
