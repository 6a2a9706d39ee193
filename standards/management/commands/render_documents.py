"""Render again the guide and manual PDFs of every published version (e.g. after a template change).

Versions are rendered in parallel worker processes; one failure never stops
the rest, and a summary lists the failures at the end.
"""

from __future__ import annotations

import traceback
from collections.abc import Iterator
from concurrent.futures import ProcessPoolExecutor, as_completed
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import connections

from standards.models import PublishedSnapshot


def _render_one(version_id: int) -> tuple[int, str | None]:
    """In a worker process: render, then close this process's connections."""
    try:
        return _render_here(version_id)
    finally:
        connections.close_all()


def _render_here(version_id: int) -> tuple[int, str | None]:
    from standards.models import StandardVersion
    from standards.services.rendering import render_documents

    try:
        render_documents(StandardVersion.objects.get(pk=version_id))
    except Exception:  # reported in the summary; the other versions go on
        return version_id, traceback.format_exc(limit=3)
    return version_id, None


class Command(BaseCommand):
    help = "Render the PDFs of every published version again, in parallel processes."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--workers", type=int, default=2, help="Worker processes (default 2).")

    def handle(self, *args: Any, **options: Any) -> None:
        workers = options["workers"]
        if workers < 1:
            raise CommandError("--workers must be at least 1.")
        ids = list(
            PublishedSnapshot.objects.values_list("version_id", flat=True).order_by("version_id")
        )
        total = len(ids)
        if total == 0:
            self.stdout.write("No published versions.")
            return
        failures: list[tuple[int, str]] = []
        for done, (version_id, error) in enumerate(self._results(ids, workers), start=1):
            if error:
                failures.append((version_id, error))
            status = "failed" if error else "ok"
            self.stdout.write(f"[{done}/{total}] version {version_id} {status}")
        self.stdout.write(f"Rendered {total - len(failures)} of {total}; {len(failures)} failed.")

        for version_id, error in failures:
            self.stderr.write(f"version {version_id}:\n{error}")
        if failures:
            raise CommandError(f"{len(failures)} version(s) failed to render.")

    def _results(self, ids: list[int], workers: int) -> Iterator[tuple[int, str | None]]:
        if workers == 1:
            # One worker: render in this process (no pool to start).
            yield from (_render_here(version_id) for version_id in ids)
            return
        # Children must not share the parent's database connections.
        connections.close_all()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            futures = [pool.submit(_render_one, version_id) for version_id in ids]
            for future in as_completed(futures):
                yield future.result()
