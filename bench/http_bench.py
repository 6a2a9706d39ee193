"""Requests per second of the cached public guide page against a minimal Django view.

    DEBUG=true .venv/bin/python bench/http_bench.py [--seconds 30]

Creates a throwaway PostgreSQL database (on `BENCH_DATABASE_URL`, else
`DATABASE_URL` if it is PostgreSQL, else postgres://postgres@127.0.0.1:5432),
migrates it and loads the samples with `manage.py seed` (which publishes the
food licence through the workflow). Then one gunicorn (2 sync workers, the
production settings with `bench.settings`, which only add the minimal view)
serves both pages to a load generator on loopback:

- the baseline: `/bench/minimal/`, a view returning a few bytes, through the
  whole middleware stack;
- the cached guide page (warmed first, and checked to be the real page with
  its security headers), as an anonymous visitor, with Redis as the shared
  cache when one answers on 127.0.0.1:6379 (database 14, keys under this
  run's own prefix, removed afterwards), as in production; otherwise with
  per-process memory (said in the figure's note).

The load generator is `wrk` (Debian's package, installed by `make bench`): a C
program whose own CPU use is small, so on a two-core machine the figure
measures the server rather than the client. Without it, Python clients
(separate processes, so one GIL does not hold them back), which take a good
share of the CPU themselves. Either way the same generator, connections and
time apply to both URLs. Each URL gets `seconds` of load in all, in six
interleaved rounds (minimal, guide, minimal, guide, ...), so that a change in
what else the machine is doing weighs on both alike; both are warmed first.

The figure is the guide's requests per second as a share of the baseline's
(target: at least 50 %). `run()` returns the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import http.client
import multiprocessing
import re
import secrets
import shutil
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
# wrk: one thread (an event loop) and as many connections as the Python clients.
WRK_CONNECTIONS = CLIENT_PROCESSES * CONNECTIONS_PER_PROCESS
ROUNDS = 6
WARM_UP_SECONDS = 3.0
MINIMAL = "/bench/minimal/"


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


def python_load(port: int, path: str, seconds: float) -> dict[str, float]:
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
        "requests": done,
        "seconds": seconds,
        "errors": failed,
        "p50_ms": statistics.median(latencies) * 1000 if latencies else float("nan"),
        "p99_ms": p99 * 1000,
    }


def wrk_load(port: int, path: str, seconds: float) -> dict[str, float]:
    """`wrk` for `seconds` against `path`: requests done, errors and latency percentiles."""
    command = [
        shutil.which("wrk") or "wrk",
        "--threads=1",
        f"--connections={WRK_CONNECTIONS}",
        f"--duration={max(1, round(seconds))}s",
        "--timeout=10s",
        "--latency",
        f"http://127.0.0.1:{port}{path}",
    ]
    output = subprocess.run(  # noqa: S603 - wrk on our own server
        command, capture_output=True, text=True, check=True
    ).stdout
    took = _search(r"(\d+) requests in ([\d.]+)(m?s)", output)
    requests = int(took.group(1))
    elapsed = float(took.group(2)) / (1000 if took.group(3) == "ms" else 1)
    # Answers other than 2xx/3xx, and connections that failed, are errors.
    bad = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    sockets = re.search(
        r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)", output
    )
    refused = int(bad.group(1)) if bad else 0
    errors = refused + (sum(int(n) for n in sockets.groups()) if sockets else 0)
    return {
        "requests": requests - refused,
        "seconds": elapsed,
        "errors": errors,
        "p50_ms": _wrk_latency_ms(output, "50%"),
        "p99_ms": _wrk_latency_ms(output, "99%"),
    }


def _search(pattern: str, text: str) -> re.Match[str]:
    found = re.search(pattern, text, re.MULTILINE)
    if found is None:
        raise RuntimeError(f"unexpected wrk output (no {pattern!r}):\n{text}")
    return found


def _wrk_latency_ms(output: str, percentile: str) -> float:
    pattern = rf"^\s*{re.escape(percentile)}\s+([\d.]+)(us|ms|s)\s*$"
    value, unit = _search(pattern, output).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0}[unit]


def generator() -> str:
    return "wrk" if shutil.which("wrk") else "python"


def load(port: int, path: str, seconds: float) -> dict[str, float]:
    """Load on `path` for `seconds` with the machine's generator (wrk, else Python clients)."""
    return (wrk_load if generator() == "wrk" else python_load)(port, path, seconds)


def interleaved(port: int, paths: list[str], seconds: float) -> dict[str, dict[str, Any]]:
    """Each path loaded for `seconds` in all, in ROUNDS turns taken one path after the other."""
    for path in paths:  # both workers warmed on both pages (imports, the process's page copy)
        load(port, path, WARM_UP_SECONDS)
    turns: dict[str, list[dict[str, float]]] = {path: [] for path in paths}
    for _ in range(ROUNDS):
        for path in paths:
            turns[path].append(load(port, path, seconds / ROUNDS))
    totals = {}
    for path, results in turns.items():
        requests = sum(r["requests"] for r in results)
        elapsed = sum(r["seconds"] for r in results)
        totals[path] = {
            "rps": requests / elapsed if elapsed else 0.0,
            "errors": sum(r["errors"] for r in results),
            "p50_ms": statistics.median(r["p50_ms"] for r in results),
            "p99_ms": max(r["p99_ms"] for r in results),
            "rounds_rps": [round(r["requests"] / r["seconds"]) for r in results if r["seconds"]],
        }
    return totals


def _check_guide(port: int, path: str) -> None:
    """The guide URL answers the real page, with its security headers, twice alike.

    The second answer comes from the cache: the figure must not be measuring
    an error page or a page without its headers.
    """
    answers = []
    for _ in range(2):
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        headers = {name.lower(): value for name, value in response.getheaders()}
        headers.pop("date", None)
        answers.append((response.status, headers, body))
    (status, headers, body), again = answers
    if status != 200 or b'class="guide-summary"' not in body:
        raise RuntimeError(f"{path} did not answer the guide page ({status})")
    wanted = ("content-security-policy", "x-frame-options", "x-content-type-options", "etag")
    missing = [name for name in wanted if name not in headers]
    if missing or again != answers[0]:
        raise RuntimeError(f"{path}: headers missing {missing} or the cached answer differs")


def _clear_redis(url: str, prefix: str) -> None:
    """Remove this run's keys (they are under its own prefix) from the bench's Redis."""
    if not url:
        return
    import redis

    client = redis.Redis.from_url(url)
    keys = list(client.scan_iter(match=f"{prefix}:*", count=1000))
    if keys:
        client.delete(*keys)


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
        # This run's cache keys get their own prefix (bench/settings.py), as its
        # database is its own.
        prefix = f"http-bench-{secrets.token_hex(6)}"
        environment = serving.production_environment(
            url, DJANGO_SETTINGS_MODULE="bench.settings", BENCH_CACHE_PREFIX=prefix
        )
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
        try:
            with serving.gunicorn(environment) as port:
                serving.wait_for(port, MINIMAL)
                serving.wait_for(port, guide)  # renders and caches the page
                _check_guide(port, guide)
                figures = interleaved(port, [MINIMAL, guide], seconds)
        finally:
            _clear_redis(environment["REDIS_URL"], prefix)
        baseline, cached = figures[MINIMAL], figures[guide]

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
                f"(p99 {baseline['p99_ms']:.1f} ms); rounds {cached['rounds_rps']} vs "
                f"{baseline['rounds_rps']}; {generator()}, gunicorn 2 workers, {seconds:g} s each; "
                f"cache: {'Redis' if environment['REDIS_URL'] else 'per-process memory'}"
            ),
        }
    ]


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=float, default=30.0)
    for figure in run(parser.parse_args().seconds):
        print(figure)
