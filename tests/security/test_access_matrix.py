"""Every URL × every role × every owner: no department reads or changes another's objects.

The URLs come from the resolver (tests/security/routes.py), so a URL added
later is requested here without anyone listing it. For each role and owner:

- every GET answers without a server error, and no response carries the marker
  of an object the role is not entitled to (world.ENTITLED) — in HTML, JSON,
  CSV, feeds or inside spreadsheets;
- object URLs answer a role not entitled to the object with no 2xx;
- every URL is POSTed by roles not entitled to the owner, and the owner's
  objects are unchanged afterwards (world.fingerprint).

Then CSRF: a signed-in user's POST without the token is refused on every URL.
"""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.test import Client

from .routes import (
    PUBLIC_BY_DESIGN,
    admin_list_urls,
    admin_object_urls,
    all_routes,
    urls_for,
)
from .world import ENTITLED, MARKERS, OWNERS, ROLES, build_world, fingerprint

pytestmark = pytest.mark.django_db

OBJECT_PARAMETERS = {"pk", "comment_pk", "delivery_pk", "standard_pk"}


@pytest.fixture(autouse=True)
def media(tmp_path, settings):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def world():
    return build_world()


def client_for(world: Any, role: str, **kwargs: Any) -> Client:
    client = Client(**kwargs)
    user = world.users[role]
    if user is not None:
        client.force_login(user)
    return client


def body_text(response: Any) -> str:
    """The response as text; spreadsheets and other zips are opened and read."""
    if getattr(response, "streaming", False):
        raw = b"".join(response.streaming_content)
    else:
        raw = response.content
    if raw.startswith(b"PK\x03\x04"):
        with zipfile.ZipFile(io.BytesIO(raw)) as archive:
            return "\n".join(
                archive.read(name).decode("utf-8", "replace") for name in archive.namelist()
            )
    return raw.decode("utf-8", "replace")


def forbidden_markers(role: str) -> dict[str, str]:
    return {owner: MARKERS[owner] for owner in OWNERS if role not in ENTITLED[owner]}


def leaks(role: str, url: str, response: Any) -> list[str]:
    text = body_text(response)
    return [
        f"{role} {url}: shows {owner}'s content"
        for owner, marker in forbidden_markers(role).items()
        if marker in text
    ]


def expensive(url: str) -> bool:
    # PDFs are rendered by WeasyPrint; the no-leak PDF checks live in
    # tests/guides/test_no_leaks.py and tests/security/test_xss_corpus.py.
    return url.endswith(".pdf")


@pytest.mark.parametrize("owner", OWNERS)
@pytest.mark.parametrize("role", ROLES)
def test_no_role_reads_or_changes_objects_it_is_not_entitled_to(world, role, owner):
    owned = world.owned[owner]
    entitled = role in ENTITLED[owner]
    client = client_for(world, role)
    before = fingerprint(owned)
    problems: list[str] = []
    requested = 0
    for route in all_routes():
        if route.is_admin or not route.parameters:
            continue  # admin objects below; URLs without objects: test_lists
        for url in urls_for(route, owned):
            if expensive(url) and (entitled or owner == "published"):
                continue
            requested += 1
            response = client.get(url)
            if response.status_code >= 500:
                problems.append(f"{role} GET {url}: {response.status_code}")
            problems += leaks(role, url, response)
            object_url = OBJECT_PARAMETERS & set(route.parameters)
            if (
                not entitled
                and object_url
                and route.name not in PUBLIC_BY_DESIGN
                and 200 <= response.status_code < 300
            ):
                problems.append(f"{role} GET {url}: {response.status_code} for {owner}")
            if not entitled:
                posted = client.post(url, {})
                if posted.status_code >= 500:
                    problems.append(f"{role} POST {url}: {posted.status_code}")
                problems += leaks(role, url, posted)
    for url in admin_object_urls(owned):
        requested += 1
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{role} GET {url}: {response.status_code}")
        problems += leaks(role, url, response)
        if not entitled:
            if response.status_code == 200:
                problems.append(f"{role} GET {url}: 200 for {owner}")
            posted = client.post(url, {"post": "yes"})
            if posted.status_code >= 500:
                problems.append(f"{role} POST {url}: {posted.status_code}")
    if not entitled:
        after = fingerprint(owned)
        if after != before:
            problems.append(f"{role} changed {owner}: {before} -> {after}")
    assert requested > 50
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ROLES)
def test_lists_and_pages_without_objects_show_no_other_departments_data(world, role):
    client = client_for(world, role)
    problems: list[str] = []
    urls = [r for r in all_routes() if not r.is_admin and not r.parameters]
    paths = [u for r in urls for u in urls_for(r, world.owned["a_draft"])] + admin_list_urls()
    for url in paths:
        if url.endswith("/logout/"):
            continue  # would end the session of the role under test
        response = client.get(url)
        if response.status_code >= 500:
            problems.append(f"{role} GET {url}: {response.status_code}")
        problems += leaks(role, url, response)
    assert len(paths) > 40
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("role", ["staff_a", "reviewer_a", "admin"])
def test_state_changing_requests_without_the_csrf_token_are_refused(world, role):
    """Signed in with a session, a POST without the token is refused on every URL."""
    owned = world.owned["a_draft"]
    client = client_for(world, role, enforce_csrf_checks=True)
    before = fingerprint(owned)
    urls = [u for r in all_routes() if not r.is_admin for u in urls_for(r, owned)]
    urls += admin_object_urls(owned) + admin_list_urls()
    refused_otherwise = []
    for url in urls:
        response = client.post(url, {"post": "yes", "answer": "fixed", "text": "x"})
        # 403: CSRF failure (DRF's session authentication answers 403 too);
        # 405: a view that takes no POST at all (e.g. the health check).
        if response.status_code not in (403, 405):
            refused_otherwise.append(f"{url}: {response.status_code}")
    assert not refused_otherwise, "\n".join(refused_otherwise)
    assert fingerprint(owned) == before
    # The same client with the token is not refused for CSRF (the check above is not vacuous).
    page = client.get("/accounts/login/")
    assert page.status_code in (200, 302)
