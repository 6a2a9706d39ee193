"""The blank forms, filled samples and result samples of the sample standards.

Each sample YAML describes its files in a `files:` section (a title and the
lines of the form). They are rendered to PDF on first load and kept under
`fixtures/samples/files/` (not committed: a CJK font makes each one a few
hundred kilobytes, and the descriptions are the source).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from django.template.loader import render_to_string

from .upsert import FixtureError

# The forms' print style, kept out of the template (no inline styles, ADR 15).
STYLESHEET = Path(__file__).resolve().parent / "sample_form.css"


def ensure_sample_files(samples_dir: Path, *, force: bool = False, only: Path | None = None) -> int:
    """Render every described file that is missing; returns how many were rendered.

    `only`: the files of one sample file (loading a single sample needs no more).
    """
    from weasyprint import CSS, HTML  # imported here: only sample loading needs it at start-up

    files_dir = (samples_dir / "files").resolve()
    rendered = 0
    for path in [only] if only is not None else sorted(samples_dir.glob("*.yaml")):
        for relative, spec in _described_files(path).items():
            target = (files_dir / relative).resolve()
            if not target.is_relative_to(files_dir):
                raise FixtureError(f"{path.name}: files: {relative!r} leaves the files folder")
            if target.exists() and not force:
                continue
            target.parent.mkdir(parents=True, exist_ok=True)
            html = render_to_string(
                "standards/sample_form.html",
                {"title": spec.get("title", relative), "lines": spec.get("lines", [])},
            )
            HTML(string=html).write_pdf(target, stylesheets=[CSS(filename=STYLESHEET)])
            rendered += 1
    return rendered


def _described_files(path: Path) -> dict[str, dict[str, Any]]:
    data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    files = data.get("files") or {}
    if not isinstance(files, dict) or not all(isinstance(v, dict) for v in files.values()):
        raise FixtureError(f"{path.name}: 'files' must map each path to a title and lines")
    return files
