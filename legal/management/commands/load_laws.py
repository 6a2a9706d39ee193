"""Load the legal-text library's seed from fixtures/laws (idempotent)."""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError, CommandParser

from legal.loading import load_laws
from legal.roles import ensure_library_permissions
from standards.loading.upsert import FixtureError

DEFAULT_DIRECTORY = Path(settings.BASE_DIR) / "fixtures" / "laws"


class Command(BaseCommand):
    help = "Load laws, their versions and articles from fixtures/laws/*.yaml."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIRECTORY)

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = load_laws(options["directory"])
        except FixtureError as error:
            raise CommandError(str(error)) from error
        ensure_library_permissions()
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Laws loaded; {report.changed} change(s)."))
