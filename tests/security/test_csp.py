"""Content-Security-Policy without 'unsafe-inline', and pages that need nothing inline.

Every HTML page a visitor, a department, a reviewer or the administrator can
open (found from the URL resolver, admin included) carries the policy header,
and its body has no inline script or style without the request's nonce, no
style attribute, no on…= event handler and no javascript: URL. The templates'
sources are checked the same way, so a page no test reaches is covered too.
"""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from config.security import CONTENT_SECURITY_POLICY

from .routes import admin_list_urls, admin_object_urls, all_routes, urls_for
from .world import build_world

pytestmark = pytest.mark.django_db

NONCE = re.compile(r"'nonce-([^']+)'")


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


class InlineFinder(HTMLParser):
    """Collects what a policy without 'unsafe-inline' would block."""

    def __init__(self, nonce: str | None) -> None:
        super().__init__(convert_charrefs=True)
        self.nonce = nonce
        self.problems: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = dict(attrs)
        for name, value in attrs:
            if name.startswith("on"):
                self.problems.append(f"<{tag} {name}=…> event handler")
            if name == "style":
                self.problems.append(f"<{tag} style=…> attribute")
            if name in ("href", "src", "action", "formaction") and (
                value or ""
            ).strip().lower().startswith("javascript:"):
                self.problems.append(f"<{tag} {name}=javascript:…>")
        if tag == "script" and not attributes.get("src"):
            kind = (attributes.get("type") or "").lower()
            if kind in ("application/json", "application/ld+json"):
                return  # data blocks (json_script) are never executed
            if not self.nonce or attributes.get("nonce") != self.nonce:
                self.problems.append("inline <script> without the request's nonce")
        if tag == "style" and (not self.nonce or attributes.get("nonce") != self.nonce):
            self.problems.append("inline <style> without the request's nonce")


def inline_problems(html: str, nonce: str | None) -> list[str]:
    finder = InlineFinder(nonce)
    finder.feed(html)
    return finder.problems


def test_the_policy_never_allows_inline_code_or_eval():
    for directive, values in CONTENT_SECURITY_POLICY.items():
        assert "'unsafe-inline'" not in values, directive
        assert "'unsafe-eval'" not in values, directive
    assert settings.SECURE_CSP == CONTENT_SECURITY_POLICY
    assert CONTENT_SECURITY_POLICY["object-src"] == ["'none'"]
    assert CONTENT_SECURITY_POLICY["frame-ancestors"] == ["'none'"]


def test_the_checker_finds_what_the_policy_would_block():
    """The page check below is not vacuous."""
    assert inline_problems("<script>alert(1)</script>", None)
    assert inline_problems('<script nonce="a">x</script>', "b")
    assert not inline_problems('<script nonce="b">x</script>', "b")
    assert inline_problems('<img src="x" onerror="alert(1)">', None)
    assert inline_problems('<p style="color:red">x</p>', None)
    assert inline_problems('<a href=" JavaScript:alert(1)">x</a>', None)
    assert not inline_problems('<script src="/static/x.js"></script><p class="x">y</p>', None)


def _pages(world: Any) -> list[tuple[str, str]]:
    """(role, url) for every HTML-ish page, one owner's objects filling the parameters."""
    pages: list[tuple[str, str]] = []
    for role in ("anonymous", "staff_a", "leader_a", "reviewer_a", "admin"):
        for route in all_routes():
            if route.is_admin:
                continue
            owner = "published" if role == "anonymous" else "a_draft"
            for url in urls_for(route, world.owned[owner]):
                if not url.endswith((".pdf", ".xlsx", ".csv", "/logout/")):
                    pages.append((role, url))
    pages += [("admin", url) for url in admin_list_urls()]
    pages += [("admin", url) for url in admin_object_urls(world.owned["a_draft"])]
    pages += [("staff_a", url) for url in admin_list_urls()[:5]]
    return pages


def test_every_page_sends_the_policy_and_has_nothing_inline():
    world = build_world()
    problems: list[str] = []
    html_pages = 0
    clients: dict[str, Client] = {}
    for role, url in _pages(world):
        client = clients.get(role)
        if client is None:
            client = clients[role] = Client()
            if world.users[role] is not None:
                client.force_login(world.users[role])
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{role} {url}: {response.status_code}")
            continue
        header = response.get("Content-Security-Policy", "")
        if "default-src 'self'" not in header or "unsafe-inline" in header:
            problems.append(f"{role} {url}: policy header {header!r}")
        if "text/html" not in response.get("Content-Type", "") or getattr(
            response, "streaming", False
        ):
            continue
        html_pages += 1
        found = NONCE.search(header)
        for problem in inline_problems(response.content.decode(), found and found.group(1)):
            problems.append(f"{role} {url}: {problem}")
    assert html_pages > 60
    assert not problems, "\n".join(sorted(set(problems)))


def test_the_api_documentation_page_loads_only_files_of_the_app(client):
    page = client.get("/api/v1/docs/")
    assert page.status_code == 200
    assert not inline_problems(page.content.decode(), None)
    assert "/static/css/swagger.css" in page.content.decode()
    script = client.get("/api/v1/docs/?script=")
    assert script.status_code == 200 and b"SwaggerUIBundle" in script.content


def _template_files() -> list[Path]:
    base = Path(settings.BASE_DIR)
    roots = [base / "templates", *base.glob("*/templates")]
    return sorted(p for root in roots for p in root.rglob("*.html"))


INLINE_IN_SOURCE = re.compile(
    r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>"
    r"|<style\b|\sstyle=\"|\son[a-z]+=\"|javascript:",
    re.IGNORECASE,
)


COMMENTS = re.compile(r"\{#.*?#\}|\{% comment %\}.*?\{% endcomment %\}", re.DOTALL)


def test_no_template_has_inline_scripts_styles_or_handlers():
    files = _template_files()
    assert len(files) > 30
    offenders = []
    for path in files:
        text = COMMENTS.sub("", path.read_text(encoding="utf-8"))
        for match in INLINE_IN_SOURCE.finditer(text):
            if "csp_nonce" in text[match.start() : match.start() + 200]:
                continue
            line = text.count("\n", 0, match.start()) + 1
            offenders.append(f"{path.relative_to(settings.BASE_DIR)}:{line}: {match.group(0)}")
    assert not offenders, "\n".join(offenders)
