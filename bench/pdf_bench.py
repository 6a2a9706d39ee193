"""PDF figures: the guide against a Latin-only font, its size, and a 60-page manual.

    DEBUG=true .venv/bin/python bench/pdf_bench.py

Takes the sample standards' snapshots from a copy of the seeded database
(`bench/seed_scale.py`), then, in this one run:

- renders the guide of the largest sample (by snapshot size) through
  `guides.pdf.render_guide_pdf`, as production does, and the very same
  document with its `font_family` set to a Latin-only face (DejaVu Sans) —
  the baseline; the median of several rounds of each, taken in turns, and
  the ratio;
- reports that guide's size;
- renders a business manual of at least 60 pages (the largest sample with its
  link benchmarks repeated until the manual is long enough) in a fresh child
  process, reporting its time and the child's peak memory.

`run()` returns the figures for `make bench`; this file asserts nothing.
"""

from __future__ import annotations

import copy
import io
import json
import multiprocessing
import resource
import statistics
import sys
import time
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml

# `python bench/x.py` and `make bench` alike import the other bench modules by name.
sys.path.insert(0, str(Path(__file__).resolve().parent))

import database
import seed_scale

BASE_DIR = Path(__file__).resolve().parent.parent
TARGET_GUIDE_RATIO = 1.2
TARGET_GUIDE_BYTES = 300_000
TARGET_MANUAL_SECONDS = 10.0
TARGET_MANUAL_MB = 600.0
MIN_MANUAL_PAGES = 60
LATIN_FAMILY = '"DejaVu Sans"'
PUBLIC_URL = "https://zwfw.example.gov.cn/g/1/"


def sample_snapshots() -> dict[str, dict[str, Any]]:
    """The snapshot of every sample standard's first version (`fixtures/samples/`)."""
    from standards.models import StandardVersion
    from standards.snapshot import snapshot

    found = {}
    for path in sorted((BASE_DIR / "fixtures" / "samples").glob("*.yaml")):
        meta = yaml.safe_load(path.read_text(encoding="utf-8"))["standard"]
        version = StandardVersion.objects.select_related("standard__item").get(
            standard__item__basic_code=meta["item"],
            standard__department__code=meta["department"],
            number=meta.get("version", 1),
        )
        found[version.standard.item.name] = snapshot(version)
    return found


def _render_guide(data: dict[str, Any], font_family: str | None) -> bytes:
    """The production guide PDF; with `font_family`, the same document in that font."""
    from guides.pdf import render_guide_pdf

    return render_guide_pdf(data, public_url=PUBLIC_URL, font_family=font_family)


def _interleaved(
    actions: dict[str, Callable[[], bytes]], rounds: int
) -> dict[str, tuple[float, bytes]]:
    """The median seconds and last result of each action, run in turn `rounds` times.

    Taking turns (A B A B …) rather than all of A then all of B: whatever else
    the machine does weighs on both alike, which matters for their ratio.
    """
    times: dict[str, list[float]] = {name: [] for name in actions}
    results: dict[str, bytes] = {}
    for _ in range(rounds):
        for name, action in actions.items():
            start = time.perf_counter()
            results[name] = action()
            times[name].append(time.perf_counter() - start)
    return {name: (statistics.median(times[name]), results[name]) for name in actions}


def _pages(content: bytes) -> int:
    from pypdf import PdfReader

    return len(PdfReader(io.BytesIO(content)).pages)


def long_manual_snapshot(data: dict[str, Any], copies: int) -> dict[str, Any]:
    """The snapshot with its link benchmarks repeated `copies` times (fresh row ids)."""
    longer = copy.deepcopy(data)
    links = longer["content"].get("link_benchmark") or []
    repeated = []
    for round_ in range(copies):
        for row in links:
            clone = copy.deepcopy(row)
            clone["row_id"] = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{row['row_id']}/{round_}"))
            repeated.append(clone)
    longer["content"]["link_benchmark"] = repeated
    return longer


def _manual_child(url: str, data: dict[str, Any], queue: Any) -> None:
    database.setup_django(url)
    from manuals.pdf import render_manual_pdf

    start = time.perf_counter()
    content = render_manual_pdf(data)
    seconds = time.perf_counter() - start
    peak_kb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    queue.put({"seconds": seconds, "pages": _pages(content), "peak_mb": peak_kb / 1024})


def _manual_in_child(url: str, data: dict[str, Any]) -> dict[str, Any]:
    """Render in a fresh process, so that its peak memory is the manual's alone."""
    context = multiprocessing.get_context("spawn")
    queue = context.Queue()
    child = context.Process(target=_manual_child, args=(url, data, queue))
    child.start()
    result = queue.get(timeout=600)
    child.join()
    return dict(result)


def run(rounds: int = 3) -> list[dict[str, Any]]:
    with seed_scale.seeded_copy("pdf") as url:
        database.setup_django(url)
        snapshots = sample_snapshots()
        by_size = sorted(snapshots.items(), key=lambda pair: len(json.dumps(pair[1])))
        name, largest = by_size[-1]
        # Cut the fonts (first run only) and build each font list's styles before
        # timing, on the smallest sample: production builds them once per worker.
        for family in (None, LATIN_FAMILY):
            _render_guide(by_size[0][1], family)
        timed = _interleaved(
            {
                "ours": lambda: _render_guide(largest, None),
                "latin": lambda: _render_guide(largest, LATIN_FAMILY),
            },
            rounds,
        )
        (ours, guide), (latin, _latin_pdf) = timed["ours"], timed["latin"]

        # The manual grows with its link benchmarks: a first render says how many
        # copies of them reach 60 pages; the last render is the one reported.
        copies, manual = 1, {"pages": 0}
        while True:
            manual = _manual_in_child(url, long_manual_snapshot(largest, copies))
            if manual["pages"] >= MIN_MANUAL_PAGES or copies >= 32:
                break
            copies = max(copies + 1, int(copies * MIN_MANUAL_PAGES / max(manual["pages"], 1)) + 1)
        database.close_django_connections()

    ratio = ours / latin
    size = len(guide)
    return [
        _figure(f"guide PDF time vs Latin-only font ({name})", ratio, "≤", TARGET_GUIDE_RATIO,
                "×", f"{ours:.2f} s vs {latin:.2f} s, median of {rounds}"),
        _figure(f"guide PDF size ({name}, {_pages(guide)} pages)", size / 1000, "≤",
                TARGET_GUIDE_BYTES / 1000, "KB", ""),
        _figure(f"business manual time ({manual['pages']} pages)", manual["seconds"], "<",
                TARGET_MANUAL_SECONDS, "s", f"link benchmarks ×{copies}"),
        _figure(f"business manual peak memory ({manual['pages']} pages)", manual["peak_mb"], "<",
                TARGET_MANUAL_MB, "MB", "whole child process (Python, Django, WeasyPrint)"),
    ]  # fmt: skip


def _figure(
    name: str, value: float, relation: str, target: float, unit: str, note: str
) -> dict[str, Any]:
    met = value <= target if relation == "≤" else value < target
    return {
        "name": name,
        "value": round(value, 3),
        "unit": unit,
        "target": f"{relation} {target:g} {unit}",
        "met": met,
        "note": note,
    }


if __name__ == "__main__":
    for figure in run():
        status = "ok" if figure["met"] else "MISSED"
        print(f"{figure['name']}: {figure['value']} {figure['unit']} "
              f"(target {figure['target']}) {status} {figure['note']}")  # fmt: skip
