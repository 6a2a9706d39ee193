"""A citizen finds the food business licence, reads, downloads and prints its guide.

Real parts only: the live Django server on the test database, the search index
filled by publishing, the guide PDF rendered by the rendering service, Debian's
Chromium, and axe-core for the accessibility check.
"""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from pypdf import PdfReader

from standards.loading.demo_users import create_demo_users
from standards.loading.demo_workflow import run_demo_workflow
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_sample
from standards.models import StandardVersion
from standards.services.rendering import render_documents

from .conftest import axe_violations

FIXTURES = Path(settings.BASE_DIR) / "fixtures"

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def published_food(live_server, settings, tmp_path):
    """The food licence published through the workflow, its PDFs rendered."""
    settings.MEDIA_ROOT = tmp_path
    load_reference_data(FIXTURES)
    load_sample(FIXTURES / "samples" / "food_business_licence.yaml")
    create_demo_users("demo-2026")
    run_demo_workflow()
    version = StandardVersion.objects.get(state="published")
    render_documents(version)
    return version


def test_search_open_download_print_and_keyboard(page, live_server, published_food):
    item = published_food.standard.item

    # Home: search "食品" from the search box, by keyboard.
    page.goto(live_server.url + "/")
    assert page.locator("html").get_attribute("lang") == "zh-Hans"
    assert axe_violations(page) == []
    page.get_by_role("searchbox").first.fill("食品")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"))
    assert axe_violations(page) == []

    # Results: the food licence is listed, with the match highlighted.
    result = page.get_by_role("link", name=re.compile(item.name))
    assert result.count() >= 1
    assert page.locator("mark").filter(has_text="食品").count() >= 1
    result.first.click()
    page.wait_for_url(re.compile(r"/guides/"))
    assert page.get_by_role("heading", level=1).inner_text().strip() == item.name
    assert axe_violations(page) == []

    # Download the PDF: a real PDF with the guide's text.
    with page.expect_download() as download_info:
        page.get_by_role("link", name=re.compile("PDF")).first.click()
    download = download_info.value
    assert download.suggested_filename.endswith(".pdf")
    content = Path(download.path()).read_bytes()
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) > 3
    assert item.name in "".join(p.extract_text() or "" for p in reader.pages[:2]).replace(" ", "")

    # Print: the print stylesheet hides the site's header, actions and versions.
    page.emulate_media(media="print")
    assert not page.locator("header.site-header").is_visible()
    assert not page.locator(".guide-actions").is_visible()
    assert page.locator(".service-guide h1").is_visible()
    printed = page.pdf(format="A4")
    assert len(PdfReader(io.BytesIO(printed)).pages) >= 1
    page.emulate_media(media="screen")


def test_keyboard_only_from_home_to_the_guide(page, live_server, published_food):
    item = published_food.standard.item
    page.goto(live_server.url + "/")
    # The first Tab reaches the skip link; following it lands in <main>.
    page.keyboard.press("Tab")
    focused = page.evaluate("document.activeElement.getAttribute('href')")
    assert focused == "#main"
    page.keyboard.press("Enter")
    assert page.evaluate("location.hash") == "#main"

    # Tab on until the search box has the focus, type and submit.
    for _ in range(30):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.type") == "search":
            break
    else:
        pytest.fail("the search box cannot be reached with Tab")
    outline = page.evaluate("getComputedStyle(document.activeElement).outlineStyle")
    box_shadow = page.evaluate("getComputedStyle(document.activeElement).boxShadow")
    assert outline != "none" or box_shadow != "none", "focus is not visible"
    page.keyboard.type("食品")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/search/\?"))

    # Tab to the result and open it with Enter.
    for _ in range(60):
        page.keyboard.press("Tab")
        text = page.evaluate("document.activeElement.textContent || ''")
        if item.name in text:
            break
    else:
        pytest.fail("the result link cannot be reached with Tab")
    page.keyboard.press("Enter")
    page.wait_for_url(re.compile(r"/guides/"))
    assert page.get_by_role("heading", level=1).inner_text().strip() == item.name
