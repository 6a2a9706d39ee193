"""Render the blank forms, filled samples and result samples of the sample standards.

A development tool: each sample YAML's `files:` section describes its files
(title and lines); this writes them as PDFs under `fixtures/samples/files/`,
where `seed` picks them up. The PDFs are committed, so `make run` does not
need to render them.
"""

from pathlib import Path
from typing import Any

import yaml
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.template.loader import render_to_string

SAMPLES_DIR = Path(settings.BASE_DIR) / "fixtures" / "samples"


class Command(BaseCommand):
    help = "Render the PDF files described in fixtures/samples/*.yaml (development tool)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--force", action="store_true", help="Render files that exist too.")

    def handle(self, *args: Any, **options: Any) -> None:
        from weasyprint import HTML  # imported here: only this tool needs it

        rendered = 0
        for path in sorted(SAMPLES_DIR.glob("*.yaml")):
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
            files = data.get("files") or {}
            if not isinstance(files, dict):
                raise CommandError(f"{path.name}: 'files' must be a mapping")
            for relative, spec in files.items():
                target = (SAMPLES_DIR / "files" / relative).resolve()
                if not target.is_relative_to(SAMPLES_DIR / "files"):
                    raise CommandError(f"{path.name}: {relative!r} leaves the files folder")
                if target.exists() and not options["force"]:
                    continue
                target.parent.mkdir(parents=True, exist_ok=True)
                html = render_to_string(
                    "standards/sample_form.html",
                    {"title": spec.get("title", relative), "lines": spec.get("lines", [])},
                )
                HTML(string=html).write_pdf(target)
                rendered += 1
        self.stdout.write(self.style.SUCCESS(f"Rendered {rendered} file(s)."))
