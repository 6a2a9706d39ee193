"""A mixed load for two minutes: citizens reading, staff saving; zero server errors expected.

    DEBUG=true .venv/bin/python bench/mixed_load.py [--seconds 120]

The database is a copy of the seeded one (`bench/seed_scale.py`: the samples
and demo users of `manage.py seed --demo-users`, with the food licence
published, plus 1,173 provincial and 1,930 adopted published standards); a new
draft of the food licence is opened for the department's staff. One gunicorn
with 2 sync workers serves the production settings (DEBUG off, collected
static files, Redis as the shared cache when one answers).

For the given time, on loopback:
- readers (anonymous) request the guide page, the search results for 食品 and
  the home page in turn;
- editors (two staff sessions of the same department, signed in through the
  login form) open the approval-service section of the same draft, change the
  office hours and save — as a browser does, so some saves meet the other
  editor's and are answered 409 (a conflict, reported, not an error).

Figures: server errors (5xx or no answer; target 0), p99 of reads and of saves,
requests per second, saves landed and conflicts. Nothing is asserted.
"""

from __future__ import annotations

import argparse
import multiprocessing
import re
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# `python bench/x.py` and `make bench` alike import the other bench modules by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import seed_scale
import serving

BASE_DIR = Path(__file__).resolve().parent.parent
READER_THREADS = 4
EDITORS = 2
SECTION = "E12"
SEARCH_PATH = "/search/?q=%E9%A3%9F%E5%93%81"  # 食品

# Prints the new draft, the guide's path, and whether the collected static
# files are current: their manifest is newer than every source file (so a
# collectstatic earlier in the run, by http_bench, is not paid for twice —
# its post-processing compresses every file again, a minute or more).
SETUP = """
import os
from django.conf import settings
from django.contrib.staticfiles.finders import get_finders
from standards.models import StandardVersion, User
from standards.services.drafting import new_draft_from
staff = User.objects.get(username="nanhai_staff")
published = StandardVersion.objects.filter(
    state="published", standard__department=staff.department
).select_related("standard__item", "standard__department").first()
draft = new_draft_from(version=published, user=staff)
item = published.standard
manifest = settings.STATIC_ROOT / "staticfiles.json"
newest = max(
    os.path.getmtime(storage.path(path))
    for finder in get_finders() for path, storage in finder.list([])
)
current = manifest.exists() and manifest.stat().st_mtime > newest
print(draft.pk, f"/guides/{item.item.basic_code}/{item.department.code}/", current)
"""


def _plain_cookies(session: Any) -> None:
    # Production cookies are marked Secure; the bench speaks plain HTTP on loopback.
    for cookie in session.cookies:
        cookie.secure = False


def _form_fields(page: str) -> dict[str, Any]:
    """What a browser would post back from the section page (text inputs, checks, selects)."""
    data: dict[str, Any] = {}
    for tag in re.findall(r"<input[^>]*>", page):
        name = re.search(r'name="([^"]+)"', tag)
        value = re.search(r'value="([^"]*)"', tag)
        if not name or 'type="file"' in tag or 'type="submit"' in tag:
            continue
        if 'type="checkbox"' in tag or 'type="radio"' in tag:
            if " checked" in tag:
                data.setdefault(name[1], []).append(value[1] if value else "on")
            continue
        data.setdefault(name[1], value[1] if value else "")
    for name, body in re.findall(r'<textarea[^>]*name="([^"]+)"[^>]*>(.*?)</textarea>', page, re.S):
        data[name] = body.strip()
    for attributes, options in re.findall(r"<select([^>]*)>(.*?)</select>", page, re.S):
        name = re.search(r'name="([^"]+)"', attributes)
        if not name:
            continue
        chosen = re.findall(r'<option value="([^"]*)"[^>]*selected', options)
        multiple = re.search(r"\bmultiple\b", attributes) is not None
        data[name[1]] = chosen if multiple else (chosen[0] if chosen else "")
    return {
        k: v.replace("&amp;", "&").replace("&quot;", '"').replace("&#x27;", "'")
        if isinstance(v, str)
        else v
        for k, v in data.items()
    }


def _reader(base: str, paths: list[str], seconds: float, queue: Any) -> None:
    import threading

    import requests

    latencies: list[float] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop(offset: int) -> None:
        session = requests.Session()
        mine: list[float] = []
        failed: list[str] = []
        n = offset
        while time.perf_counter() < deadline:
            path = paths[n % len(paths)]
            n += 1
            start = time.perf_counter()
            try:
                response = session.get(base + path, timeout=30)
                if response.status_code >= 500:
                    failed.append(f"{response.status_code} {path}")
                else:
                    mine.append(time.perf_counter() - start)
            except requests.RequestException as error:
                failed.append(f"{type(error).__name__} {path}")
        with lock:
            latencies.extend(mine)
            errors.extend(failed)

    threads = [threading.Thread(target=loop, args=(i,)) for i in range(READER_THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put({"kind": "read", "latencies": latencies, "errors": errors})


def _editor(
    base: str, username: str, password: str, version: int, seconds: float, queue: Any
) -> None:
    import requests

    session = requests.Session()
    latencies: list[float] = []
    errors: list[str] = []
    statuses: dict[int, int] = {}
    login = session.get(f"{base}/accounts/login/", timeout=30)
    _plain_cookies(session)
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', login.text)
    signed_in = session.post(
        f"{base}/accounts/login/",
        data={
            "username": username,
            "password": password,
            "csrfmiddlewaretoken": token[1] if token else "",
        },
        allow_redirects=False,
        timeout=30,
    )
    _plain_cookies(session)
    if signed_in.status_code != 302:
        queue.put({"kind": "save", "latencies": [], "errors": ["login failed"], "statuses": {}})
        return
    url = f"{base}/workspace/versions/{version}/sections/{SECTION}/"
    deadline = time.perf_counter() + seconds
    n = 0
    while time.perf_counter() < deadline:
        n += 1
        try:
            page = session.get(url, timeout=30)
            _plain_cookies(session)
            if page.status_code >= 500:
                errors.append(f"{page.status_code} GET {SECTION}")
                continue
            data = _form_fields(page.text)
            data["service-office_hours"] = f"工作日 9:00-17:00（{username} 第{n}次）"
            time.sleep(0.2)  # the editor types
            start = time.perf_counter()
            saved = session.post(url, data=data, allow_redirects=False, timeout=30)
            _plain_cookies(session)
            statuses[saved.status_code] = statuses.get(saved.status_code, 0) + 1
            if saved.status_code >= 500:
                errors.append(f"{saved.status_code} POST {SECTION}")
            else:
                latencies.append(time.perf_counter() - start)
        except requests.RequestException as error:
            errors.append(f"{type(error).__name__} {SECTION}")
    queue.put({"kind": "save", "latencies": latencies, "errors": errors, "statuses": statuses})


def _p(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(len(ordered) * share))] * 1000


def run(seconds: float = 120.0) -> list[dict[str, Any]]:
    with seed_scale.seeded_copy("mixed") as url:
        # Two editors sign in once each; nothing here tests the throttle.
        environment = serving.production_environment(url, AXES_FAILURE_LIMIT="1000")
        manage = [sys.executable, "manage.py"]
        made = subprocess.run(  # noqa: S603 - our interpreter, our code
            [*manage, "shell", "-c", SETUP],
            cwd=BASE_DIR,
            env=environment,
            capture_output=True,
            text=True,
            check=True,
        )
        draft, guide, current = made.stdout.strip().splitlines()[-1].split()
        if current != "True":
            collect = [*manage, "collectstatic", "--no-input", "-v0"]
            subprocess.run(collect, cwd=BASE_DIR, env=environment, check=True)  # noqa: S603
        with serving.gunicorn(environment) as port:
            serving.wait_for(port, guide)
            results = _load(f"http://127.0.0.1:{port}", guide, int(draft), seconds)
    return _figures(results, seconds)


def _load(base: str, guide: str, draft: int, seconds: float) -> list[dict[str, Any]]:
    """Readers and editors at once, each kind in its own process; their reports."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    clients = [
        context.Process(target=_reader, args=(base, [guide, SEARCH_PATH, "/"], seconds, queue))
    ]
    password = seed_scale.SEED_PASSWORD
    clients += [
        context.Process(target=_editor, args=(base, user, password, draft, seconds, queue))
        for user in ["nanhai_staff", "nanhai_leader"][:EDITORS]
    ]
    for client in clients:
        client.start()
    results = [queue.get(timeout=seconds + 120) for _ in clients]
    for client in clients:
        client.join()
    return results


def _figures(results: list[dict[str, Any]], seconds: float) -> list[dict[str, Any]]:
    reads = [x for r in results if r["kind"] == "read" for x in r["latencies"]]
    saves = [x for r in results if r["kind"] == "save" for x in r["latencies"]]
    errors = [e for r in results for e in r["errors"]]
    statuses: dict[int, int] = {}
    for r in results:
        for status, count in r.get("statuses", {}).items():
            statuses[int(status)] = statuses.get(int(status), 0) + count
    landed, conflicts = statuses.get(302, 0), statuses.get(409, 0)
    other = {s: c for s, c in statuses.items() if s not in (302, 409)}
    total = len(reads) + len(saves) + len(errors)
    shown_errors = "; ".join(sorted(set(errors))[:5])
    return [
        {
            "name": f"mixed load {seconds:g} s: server errors",
            "value": len(errors),
            "unit": "errors",
            "target": "0",
            "met": not errors and not other,
            "note": (
                f"{total} requests ({total / seconds:.0f}/s): {len(reads)} public reads, "
                f"{len(saves)} saves ({landed} landed, {conflicts} conflicts answered 409"
                + (f", other statuses {other}" if other else "")
                + ")"
                + (f"; errors: {shown_errors}" if errors else "")
            ),
        },
        {
            "name": "mixed load: p99 of public reads",
            "value": round(_p(reads, 0.99), 1),
            "unit": "ms",
            "target": "reported",
            "met": True,
            "note": f"median {statistics.median(reads) * 1000:.1f} ms; guide, search, home"
            if reads
            else "no reads",
        },
        {
            "name": "mixed load: p99 of section saves",
            "value": round(_p(saves, 0.99), 1),
            "unit": "ms",
            "target": "reported",
            "met": True,
            "note": f"median {statistics.median(saves) * 1000:.1f} ms; {EDITORS} editors, "
            "gunicorn 2 sync workers"
            if saves
            else "no saves",
        },
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=120.0)
    for figure in run(parser.parse_args().seconds):
        print(figure)
