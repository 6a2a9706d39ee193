"""Browser tests: Playwright driving Debian's Chromium against pytest-django's live server.

Playwright never downloads a browser here: it launches the system Chromium
(`CHROMIUM` or /usr/bin/chromium, installed by `make test`). A missing browser
fails the tests rather than skipping them. On a failure the page is saved as a
screenshot under tests/e2e/screenshots/.
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

SCREENSHOTS = Path(__file__).resolve().parent / "screenshots"
AXE = Path(__file__).resolve().parent / "vendor" / "axe-core" / "axe.min.js"


def chromium_path() -> str:
    path = os.environ.get("CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
    if not Path(path).exists():
        pytest.fail("Chromium is not installed: run `make test` (it installs Debian's chromium).")
    return path


@pytest.fixture(scope="module", autouse=True)
def _orm_beside_playwright():
    """Playwright's sync API runs an event loop in the test thread; Django's ORM
    refuses to run beside one unless told the thread is safe (it is: the loop
    only drives the browser). Set for the browser modules only — set up before
    and torn down after the browser and the database fixtures — so it never
    leaks into other tests (nor into `check --deploy`, which refuses it)."""
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    yield
    if previous is None:
        os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    else:
        os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


# Per module: the event loop stops with the browser, before other tests run.
@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            headless=True,
            # Root in a container has no user namespace for Chromium's sandbox.
            args=["--no-sandbox", "--disable-dev-shm-usage"],
        )
        yield browser
        browser.close()


@pytest.fixture
def page(browser, request):
    context = browser.new_context(locale="zh-CN", accept_downloads=True)
    context.set_default_timeout(15_000)
    page = context.new_page()
    yield page
    failed = getattr(request.node, "rep_call", None)
    if failed is not None and failed.failed:
        SCREENSHOTS.mkdir(exist_ok=True)
        page.screenshot(path=str(SCREENSHOTS / f"{request.node.name}.png"), full_page=True)
    context.close()


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


def axe_violations(page, *, impacts=("serious", "critical")) -> list[dict]:
    """axe-core's violations of the page at or above the given impacts.

    axe is loaded from the copy under tests/e2e/vendor (never from a CDN). It is
    evaluated through the DevTools protocol rather than added as a <script>: the
    site's Content-Security-Policy (rightly) refuses inline scripts.
    """
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: tags})",
        ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "best-practice"],
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "nodes": [n["target"] for n in v["nodes"][:5]],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


@pytest.fixture
def open_page(browser, request):
    """Open a page for one person, in a browser context of its own.

    A journey with several people gives each one a context (their own cookies,
    as on their own computer). On a failure every page opened is saved as a
    screenshot named after the test and the person. Script errors in the page
    are collected on `page.script_errors`, so a journey can assert there were none.
    """
    opened = []

    def open_(person: str):
        context = browser.new_context(locale="zh-CN", accept_downloads=True)
        context.set_default_timeout(15_000)
        page = context.new_page()
        page.script_errors = []
        page.on("pageerror", lambda error: page.script_errors.append(str(error)))
        opened.append((person, context, page))
        return page

    yield open_
    failed = getattr(request.node, "rep_call", None)
    for person, context, page in opened:
        if failed is not None and failed.failed:
            # What the person saw (the viewport: the review screen is too long
            # to capture whole in time) and the page's HTML beside it.
            SCREENSHOTS.mkdir(exist_ok=True)
            stem = SCREENSHOTS / f"{request.node.name}-{person}"
            page.screenshot(path=f"{stem}.png")
            Path(f"{stem}.html").write_text(page.content(), encoding="utf-8")
        context.close()
