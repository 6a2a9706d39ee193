"""`make bench`: every benchmark in one run, each beside its target.

    DEBUG=true .venv/bin/python bench/run.py [--only pdf,search] [--out bench-results]

First the data is seeded once at the source article's scale
(`bench/seed_scale.py`, a PostgreSQL database kept for the run); the
benchmarks that need it each work on their own copy of it. Each benchmark
runs in its own Python process (each configures Django for its own throwaway
database) and returns a list of figures: name, value, unit, target, met,
note. This prints a table and the seconds each step took (wall and CPU), and
writes `bench-results/results.json` (the figures) and
`bench-results/timings.json`.
Missed targets are printed as MISSED; the exit status is 0 either way, because
a benchmark measures and reports — the test suite is what passes or fails.
Every database made is dropped at the end, the seed included. With
BENCH_SEED_DATABASE set (a database kept by `bench/seed_scale.py --keep`),
that one is copied instead of seeding anew, and kept.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import database
from seed_scale import ENVIRONMENT_VARIABLE as SEED_VARIABLE

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent

# name -> the Python snippet that prints the figures as JSON on its last line.
BENCHMARKS = {
    "pdf": "import json, pdf_bench; print(json.dumps(pdf_bench.run()))",
    "scale": "import json, scale_bench; print(json.dumps(scale_bench.run()))",
    "oversight": "import json, oversight_bench; print(json.dumps(oversight_bench.run()))",
    "http": "import json, http_bench; print(json.dumps(http_bench.run()))",
    "search": (
        "import json, search_bench; r = search_bench.run();"
        "print(json.dumps(search_bench.figures(r) if hasattr(search_bench, 'figures') else r))"
    ),
    "mixed": "import json, mixed_load; print(json.dumps(mixed_load.run()))",
}
# The benchmarks that work on copies of the seeded database.
SEEDED = {"pdf", "scale", "oversight", "mixed"}


def _search_figures(result: dict[str, Any]) -> list[dict[str, Any]]:
    """The search benchmark's dict as figures (when it does not give figures itself)."""
    return [
        {
            "name": f"search p95 over {result['entries']:,} entries (PostgreSQL)",
            "value": round(result["p95_ms"], 2),
            "unit": "ms",
            "target": f"< {result['target_ms']:g} ms",
            "met": result["p95_ms"] < result["target_ms"],
            "note": (
                f"baseline substring scan p95 {result['baseline_p95_ms']:.1f} ms; "
                f"ratio {result['ratio']:.3f}"
            ),
        }
    ]


def _environment() -> dict[str, str]:
    return {**os.environ, "DEBUG": "true", "PYTHONPATH": str(BENCH_DIR)}


def seed(name: str, environment: dict[str, str]) -> dict[str, Any]:
    """Seed the database `name` that the seeded benchmarks copy; the seeding figure."""
    started = time.perf_counter()
    process = subprocess.run(  # noqa: S603 - our own interpreter and script
        [sys.executable, str(BENCH_DIR / "seed_scale.py"), "--name", name, "--keep"],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        print(process.stderr[-3000:], file=sys.stderr)
        raise SystemExit("seeding failed: the seeded benchmarks cannot run")
    made = json.loads(process.stdout.strip().splitlines()[-2])
    steps = ", ".join(f"{step} {value:g} s" for step, value in made["seconds"].items())
    return {
        "name": "seed at the source article's scale (PostgreSQL)",
        "value": round(seconds, 1),
        "unit": "s",
        "target": "report",
        "met": True,
        "note": (
            f"{made['provincial items published']:,} provincial items with a published "
            f"standard, {made['adopted standards']:,} adopted, "
            f"{made['published snapshots']:,} snapshots; {steps}"
        ),
    }


# Run first in each benchmark's process: a SIGTERM becomes SystemExit, so its
# `finally` blocks still stop its server and drop its database.
ON_TERM = "import signal, sys; signal.signal(signal.SIGTERM, lambda *_: sys.exit(143)); "


def run_one(name: str, environment: dict[str, str]) -> tuple[list[dict[str, Any]], str]:
    with subprocess.Popen(  # noqa: S603 - our own interpreter and snippet
        [sys.executable, "-c", ON_TERM + BENCHMARKS[name]],
        cwd=BASE_DIR,
        env=environment,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    ) as process:
        try:
            stdout, stderr = process.communicate()
        except BaseException:  # run.py itself is being stopped: let the benchmark clean up
            process.terminate()
            try:
                process.communicate(timeout=60)
            except subprocess.TimeoutExpired:
                process.kill()
            raise
    if process.returncode != 0:
        error = stderr.strip().splitlines()[-1:] or ["no output"]
        return [
            {
                "name": f"{name} benchmark",
                "value": None,
                "unit": "",
                "target": "runs",
                "met": False,
                "note": f"FAILED: {error[0]}",
            }
        ], stderr
    lines = [line for line in stdout.strip().splitlines() if line.strip()]
    result = json.loads(lines[-1])
    figures = result if isinstance(result, list) else _search_figures(result)
    for figure in figures:
        figure.setdefault("note", "")
    return figures, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument("--out", default=str(BASE_DIR / "bench-results"))
    options = parser.parse_args()
    names = [name.strip() for name in options.only.split(",") if name.strip()]
    unknown = set(names) - set(BENCHMARKS)
    if unknown:
        parser.error(f"unknown benchmark(s): {', '.join(sorted(unknown))}")
    # Stopped from outside: still drop the seeded database and report what was
    # measured (the `except` and `finally` below).
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    figures: list[dict[str, Any]] = []
    timings = Timings()
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    stopped = ""
    # Uploaded sample files of the seed, shared by its copies; gone at the end.
    with tempfile.TemporaryDirectory(prefix="bench-media-") as media:
        environment = {**_environment(), "MEDIA_ROOT": media}
        seeded = database.database_name("seed") if SEEDED & set(names) else None
        if seeded and os.environ.get(SEED_VARIABLE):
            # A seed kept from before (`seed_scale.py --keep`): used, not dropped.
            environment[SEED_VARIABLE], seeded = os.environ[SEED_VARIABLE], None
            environment.pop("MEDIA_ROOT")  # its files are where it was seeded
        try:
            if seeded:
                print("seeding ...", file=sys.stderr)
                with timings.step("seed"):
                    figures.append(seed(seeded, environment))
                environment[SEED_VARIABLE] = seeded
            for name in names:
                print(f"running {name} ...", file=sys.stderr)
                with timings.step(name):
                    found, errors = run_one(name, environment)
                if errors:
                    print(errors[-3000:], file=sys.stderr)
                figures += found
                _write(out, figures, timings)  # a run stopped later keeps these
        except (KeyboardInterrupt, SystemExit) as error:
            stopped = f"STOPPED ({type(error).__name__}) after {len(timings.data) - 1} step(s)"
        finally:
            if seeded:
                database.drop(seeded)
    timings.finish()
    if figures:
        _print_table(figures, timings)
    _write(out, figures, timings)
    print(f"\nwritten {out / 'results.json'} and {out / 'timings.json'}")
    if stopped:
        print(stopped)
        return 1
    return 0


def _write(out: Path, figures: list[dict[str, Any]], timings: Timings) -> None:
    (out / "results.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    (out / "timings.json").write_text(json.dumps(timings.data, indent=2) + "\n")


class Timings:
    """Wall and CPU seconds of each step, and the machine's load around them.

    The CPU seconds are those of the step's processes and their children
    (the database server's are not in them): on a machine shared with other
    work, they show how much of a step's time was its own.
    """

    def __init__(self) -> None:
        self.started = time.perf_counter()
        self.data: dict[str, Any] = {"load average at start": round(os.getloadavg()[0], 2)}

    @contextmanager
    def step(self, name: str) -> Iterator[None]:
        wall, cpu = time.perf_counter(), _children_cpu()
        try:
            yield
        finally:
            self.data[name] = {
                "seconds": round(time.perf_counter() - wall, 1),
                "cpu_seconds": round(_children_cpu() - cpu, 1),
            }
            print(f"  ({name}: {self.data[name]['seconds']:.0f} s)", file=sys.stderr)

    def finish(self) -> None:
        self.data["total"] = {"seconds": round(time.perf_counter() - self.started, 1)}
        self.data["load average at end"] = round(os.getloadavg()[0], 2)

    def line(self) -> str:
        steps = [
            f"{name} {value['seconds']:.0f} s"
            + (f" ({value['cpu_seconds']:.0f} s CPU)" if "cpu_seconds" in value else "")
            for name, value in self.data.items()
            if isinstance(value, dict)
        ]
        load = (self.data["load average at start"], self.data.get("load average at end"))
        return f"seconds: {', '.join(steps)}; load average {load[0]:g} at start, {load[1]:g} at end"


def _children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def _print_table(figures: list[dict[str, Any]], timings: Timings) -> None:
    width = max(len(f["name"]) for f in figures)
    print(f"\n{'figure'.ljust(width)}  {'value':>12}  {'target':<14} status  note")
    for f in figures:
        value = "-" if f["value"] is None else f"{f['value']:g} {f['unit']}"
        status = "ok" if f["met"] else "MISSED"
        print(f"{f['name'].ljust(width)}  {value:>12}  {f['target']:<14} {status:<6}  {f['note']}")
    print(f"\n{timings.line()}")


if __name__ == "__main__":
    raise SystemExit(main())
