"""manage.py backup FILE.tar.gz — every app's rows and MEDIA_ROOT in one verified archive."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from ops.backup import create_backup


class Command(BaseCommand):
    help = "Write a backup (.tar.gz: manifest with sha256, data.json, media/)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")

    def handle(self, *args: Any, **options: Any) -> None:
        manifest = create_backup(options["file"], using=options["database"])
        rows = sum(manifest["rows"].values())
        files = len(manifest["files"]) - 1
        self.stdout.write(
            self.style.SUCCESS(f"Backed up {rows} rows and {files} files to {options['file']}.")
        )
