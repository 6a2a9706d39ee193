"""Oversight dashboard figures: time and queries of the page at the source article's scale.

    DEBUG=true .venv/bin/python bench/oversight_bench.py

Works on a copy of the seeded database (`bench/seed_scale.py`: the full
sample catalogue and demo workflow, plus 1,173 provincial items with
published standards and 1,930 adopted city and county standards) and
requests the dashboard as the provincial reviewer (`reviewer`, whose scope is
the whole province) several times through the test client. Reports the
median time against the issue's target (< 500 ms, set for the full sample
catalogue) and the query count (≤ 20). `run()` returns the figures for
`make bench`; this file asserts nothing.
"""

from __future__ import annotations

import statistics
import sys
import time
from pathlib import Path
from typing import Any

# `python bench/x.py` and `make bench` alike import the other bench modules by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import database
import seed_scale

TARGET_MS = 500.0
TARGET_QUERIES = 20


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
    times, queries = [], []
    for _ in range(rounds):
        with CaptureQueriesContext(connection) as captured:
            start = time.perf_counter()
            client.get(url)
            times.append((time.perf_counter() - start) * 1000)
        queries.append(len(captured.captured_queries))
    # The fewest: once a minute a signed-in request also writes the session's
    # idle clock (config.security), queries that belong to no page.
    return times, min(queries), status


def run(rounds: int = 5) -> list[dict[str, Any]]:
    with seed_scale.seeded_copy("oversight") as url:
        database.setup_django(url)
        scale = seed_scale.counts()
        times, queries, status = _measure(rounds)
        database.close_django_connections()
    median = statistics.median(times)
    at_scale = (
        f"{scale['standards']:,} standards ({scale['provincial items published']:,} provincial "
        f"published, {scale['adopted standards']:,} adopted)"
    )
    return [
        {
            "name": "oversight dashboard at scale (PostgreSQL)",
            "value": round(median, 1),
            "unit": "ms",
            "target": f"< {TARGET_MS:g} ms",
            "met": median < TARGET_MS and status == 200,
            "note": f"median of {rounds} requests as the provincial reviewer; "
            f"max {max(times):.1f} ms; HTTP {status}; {at_scale}",
        },
        {
            "name": "oversight dashboard queries",
            "value": queries,
            "unit": "queries",
            "target": f"≤ {TARGET_QUERIES}",
            "met": queries <= TARGET_QUERIES,
            "note": "fewest of the timed requests; session and user included",
        },
    ]


if __name__ == "__main__":
    import json

    print(json.dumps(run(), ensure_ascii=False, indent=2))
