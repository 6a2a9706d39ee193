"""Oversight dashboard figures: time and queries of the page with the full sample catalogue.

    DEBUG=true .venv/bin/python bench/oversight_bench.py

Loads the catalogue (regions, departments, 227 items), the five sample
standards, the demo users and the demo workflow (one sample published through
the real transitions, one awaiting review) into a throwaway SQLite database,
then requests the dashboard as the provincial reviewer (`reviewer`, whose
scope is the whole province) several times through the test client. Reports
the median time against the issue's target (< 500 ms) and the query count
(≤ 20). `run()` returns the figures for `make bench`; this file asserts nothing.
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_MS = 500.0
TARGET_QUERIES = 20


def _setup_django(database: Path) -> None:
    sys.path.insert(0, str(BASE_DIR))
    os.environ["DATABASE_URL"] = f"sqlite:///{database}"
    os.environ.setdefault("DEBUG", "true")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()


def _load(media: Path) -> None:
    from django.core.management import call_command
    from django.test import override_settings

    from standards.loading.demo_users import create_demo_users
    from standards.loading.demo_workflow import run_demo_workflow
    from standards.loading.reference_data import load_reference_data
    from standards.loading.samples import load_samples

    call_command("migrate", verbosity=0, interactive=False)
    fixtures = BASE_DIR / "fixtures"
    with override_settings(MEDIA_ROOT=media):
        load_reference_data(fixtures)
        load_samples(fixtures / "samples")
        create_demo_users("bench-only")
        run_demo_workflow()


def _measure(rounds: int) -> tuple[list[float], int, int]:
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from standards.models import User

    client = Client()
    client.force_login(User.objects.get(username="reviewer"))
    url = reverse("oversight:dashboard")
    status = client.get(url).status_code  # warm templates and caches
    times = []
    for _ in range(rounds):
        start = time.perf_counter()
        client.get(url)
        times.append((time.perf_counter() - start) * 1000)
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    return times, len(queries.captured_queries), status


def run(rounds: int = 20) -> list[dict[str, Any]]:
    with tempfile.TemporaryDirectory() as folder:
        _setup_django(Path(folder) / "bench.sqlite3")
        from django.test.utils import setup_test_environment

        setup_test_environment()  # the test client's ALLOWED_HOSTS and template signals
        _load(Path(folder) / "media")
        times, queries, status = _measure(rounds)
    median = statistics.median(times)
    return [
        {
            "name": "oversight dashboard, full sample catalogue (SQLite)",
            "value": round(median, 1),
            "unit": "ms",
            "target": f"< {TARGET_MS:g} ms",
            "met": median < TARGET_MS and status == 200,
            "note": f"median of {rounds} requests as the provincial reviewer; "
            f"max {max(times):.1f} ms; HTTP {status}",
        },
        {
            "name": "oversight dashboard queries",
            "value": queries,
            "unit": "queries",
            "target": f"≤ {TARGET_QUERIES}",
            "met": queries <= TARGET_QUERIES,
            "note": "one request, session and user included",
        },
    ]


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
