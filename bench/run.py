"""`make bench`: every benchmark in one run, each beside its target.

    DEBUG=true .venv/bin/python bench/run.py [--only pdf,search] [--out bench-results]

Each benchmark runs in its own Python process (each configures Django for its
own throwaway database) and returns a list of figures: name, value, unit,
target, met, note. This prints a table and writes `bench-results/results.json`.
Missed targets are printed as MISSED; the exit status is 0 either way, because
a benchmark measures and reports — the test suite is what passes or fails.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

BENCH_DIR = Path(__file__).resolve().parent
BASE_DIR = BENCH_DIR.parent

# name -> the Python snippet that prints the figures as JSON on its last line.
BENCHMARKS = {
    "pdf": "import json, pdf_bench; print(json.dumps(pdf_bench.run()))",
    "http": "import json, http_bench; print(json.dumps(http_bench.run()))",
    "oversight": "import json, oversight_bench; print(json.dumps(oversight_bench.run()))",
    "mixed": "import json, mixed_load; print(json.dumps(mixed_load.run()))",
    "search": (
        "import json, search_bench; r = search_bench.run();"
        "print(json.dumps(search_bench.figures(r) if hasattr(search_bench, 'figures') else r))"
    ),
}


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


def run_one(name: str) -> tuple[list[dict[str, Any]], str]:
    environment = {**os.environ, "DEBUG": "true", "PYTHONPATH": str(BENCH_DIR)}
    started = time.perf_counter()
    process = subprocess.run(  # noqa: S603 - our own interpreter and snippet
        [sys.executable, "-c", BENCHMARKS[name]],
        cwd=BASE_DIR,
        env=environment,
        capture_output=True,
        text=True,
        check=False,
    )
    seconds = time.perf_counter() - started
    if process.returncode != 0:
        error = process.stderr.strip().splitlines()[-1:] or ["no output"]
        return [
            {
                "name": f"{name} benchmark",
                "value": None,
                "unit": "",
                "target": "runs",
                "met": False,
                "note": f"FAILED: {error[0]}",
            }
        ], process.stderr
    lines = [line for line in process.stdout.strip().splitlines() if line.strip()]
    result = json.loads(lines[-1])
    figures = result if isinstance(result, list) else _search_figures(result)
    for figure in figures:
        figure.setdefault("note", "")
    print(f"  ({name}: {seconds:.0f} s)", file=sys.stderr)
    return figures, ""


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--only", default=",".join(BENCHMARKS))
    parser.add_argument("--out", default=str(BASE_DIR / "bench-results"))
    options = parser.parse_args()
    figures: list[dict[str, Any]] = []
    for name in options.only.split(","):
        print(f"running {name} ...", file=sys.stderr)
        found, errors = run_one(name.strip())
        if errors:
            print(errors[-3000:], file=sys.stderr)
        figures += found
    width = max(len(f["name"]) for f in figures)
    print(f"\n{'figure'.ljust(width)}  {'value':>12}  {'target':<14} status  note")
    for f in figures:
        value = "-" if f["value"] is None else f"{f['value']:g} {f['unit']}"
        status = "ok" if f["met"] else "MISSED"
        print(f"{f['name'].ljust(width)}  {value:>12}  {f['target']:<14} {status:<6}  {f['note']}")
    out = Path(options.out)
    out.mkdir(parents=True, exist_ok=True)
    (out / "results.json").write_text(json.dumps(figures, ensure_ascii=False, indent=2) + "\n")
    print(f"\nwritten {out / 'results.json'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
