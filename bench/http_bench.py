"""Requests per second of the cached public guide page against a minimal Django view.

    DEBUG=true .venv/bin/python bench/http_bench.py [--seconds 30]

Creates a throwaway PostgreSQL database (on `BENCH_DATABASE_URL`, else
`DATABASE_URL` if it is PostgreSQL, else postgres://postgres@127.0.0.1:5432),
migrates it and loads the samples with `manage.py seed` (which publishes the
food licence through the workflow). Then one gunicorn (2 sync workers, the
production settings with `bench.settings`, which only add the minimal view)
serves both pages; a load generator on loopback (separate processes, so the
client is not held back by one GIL) requests each for the same time:

- the baseline: `/bench/minimal/`, a view returning a few bytes, through the
  whole middleware stack;
- the cached guide page (warmed first), as an anonymous visitor, with Redis as
  the shared cache when one answers on 127.0.0.1:6379 (database 14), as in
  production; otherwise with per-process memory (said in the figure's note).

The figure is the guide's requests per second as a share of the baseline's
(target: at least 50 %). `run()` returns the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import secrets
import statistics
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

# `python bench/x.py` and `make bench` alike import the other bench modules by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import database
import serving

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_SHARE = 0.5
CLIENT_PROCESSES = 2
CONNECTIONS_PER_PROCESS = 4


def _client(port: int, path: str, seconds: float, queue: Any) -> None:
    """One client process: a few threads requesting `path` until time is up."""
    import threading

    counts: list[int] = []
    errors: list[int] = []
    latencies: list[float] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def loop() -> None:
        done = failed = 0
        mine: list[float] = []
        while time.perf_counter() < deadline:
            start = time.perf_counter()
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
                connection.request("GET", path, headers={"Host": "127.0.0.1"})
                response = connection.getresponse()
                response.read()
                connection.close()
                if response.status == 200:
                    done += 1
                    mine.append(time.perf_counter() - start)
                else:
                    failed += 1
            except OSError:
                failed += 1
        with lock:
            counts.append(done)
            errors.append(failed)
            latencies.extend(mine)

    threads = [threading.Thread(target=loop) for _ in range(CONNECTIONS_PER_PROCESS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    queue.put((sum(counts), sum(errors), latencies))


def load(port: int, path: str, seconds: float) -> dict[str, float]:
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    clients = [
        context.Process(target=_client, args=(port, path, seconds, queue))
        for _ in range(CLIENT_PROCESSES)
    ]
    for client in clients:
        client.start()
    results = [queue.get(timeout=seconds + 60) for _ in clients]
    for client in clients:
        client.join()
    done = sum(r[0] for r in results)
    failed = sum(r[1] for r in results)
    latencies = sorted(latency for r in results for latency in r[2])
    p99 = latencies[int(len(latencies) * 0.99) - 1] if latencies else float("nan")
    return {
        "rps": done / seconds,
        "errors": failed,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": p99 * 1000,
    }


def _guide_path(environment: dict[str, str]) -> str:
    code = (
        "from standards.models import StandardVersion;"
        "v = StandardVersion.objects.filter(state='published').select_related("
        "'standard__item', 'standard__department').first();"
        "print(f'/guides/{v.standard.item.basic_code}/{v.standard.department.code}/')"
    )
    output = subprocess.run(  # noqa: S603 - our interpreter, our code
        [sys.executable, "manage.py", "shell", "-c", code],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=True,
    )
    return output.stdout.strip().splitlines()[-1]


def run(seconds: float = 30.0) -> list[dict[str, Any]]:
    with database.throwaway("http") as url:
        # bench.settings: the production settings plus the minimal view.
        environment = serving.production_environment(url, DJANGO_SETTINGS_MODULE="bench.settings")
        manage = [sys.executable, "manage.py"]
        # Demo users make `seed` publish the samples through the workflow;
        # seeding them is refused outside DEBUG, so only this step runs with it.
        seed = ["seed", "-v0", "--demo-users", secrets.token_urlsafe(12)]
        setup = {**environment, "DEBUG": "true"}
        for command in (["migrate", "--no-input", "-v0"], seed):
            subprocess.run(manage + command, cwd=BASE_DIR, env=setup, check=True)  # noqa: S603
        # The hashed manifest that production settings serve static files from.
        collect = [*manage, "collectstatic", "--no-input", "-v0"]
        subprocess.run(collect, cwd=BASE_DIR, env=environment, check=True)  # noqa: S603
        guide = _guide_path(environment)
        with serving.gunicorn(environment) as port:
            serving.wait_for(port, "/bench/minimal/")
            serving.wait_for(port, guide)  # renders and caches the page
            baseline = load(port, "/bench/minimal/", seconds)
            cached = load(port, guide, seconds)

    share = cached["rps"] / baseline["rps"] if baseline["rps"] else 0.0
    return [
        {
            "name": "cached guide page req/s as a share of a minimal view",
            "value": round(share, 3),
            "unit": "×",
            "target": f"≥ {TARGET_SHARE:g} ×",
            "met": share >= TARGET_SHARE,
            "note": (
                f"guide {cached['rps']:.0f} req/s (p99 {cached['p99_ms']:.1f} ms, "
                f"{cached['errors']:.0f} errors) vs minimal {baseline['rps']:.0f} req/s "
                f"(p99 {baseline['p99_ms']:.1f} ms); gunicorn 2 workers, {seconds:g} s each; "
                f"cache: {'Redis' if environment['REDIS_URL'] else 'per-process memory'}"
            ),
        }
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    for figure in run(parser.parse_args().seconds):
        print(figure)
