"""manage.py restore FILE.tar.gz — into an empty, migrated database (or --force)."""

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from ops.backup import BackupError, restore_backup


class Command(BaseCommand):
    help = "Restore a backup made by `manage.py backup` into an empty, migrated database."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", type=Path)
        parser.add_argument("--database", default="default")
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load even though the database holds rows (rows with the same keys are "
            "overwritten, except published snapshots, which the database refuses to change).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            report = restore_backup(
                options["file"], using=options["database"], force=options["force"]
            )
        except BackupError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(
            self.style.SUCCESS(f"Restored {report.rows} rows and {report.files} files.")
        )
