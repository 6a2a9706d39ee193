"""Recreate the search index from the published snapshots."""

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from search.indexing import rebuild_index, sync_index


class Command(BaseCommand):
    help = "Rebuild the public search index from the published versions."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--stale-only",
            action="store_true",
            help="Only fix entries that are missing, outdated or no longer published.",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        touched = sync_index() if options["stale_only"] else rebuild_index()
        self.stdout.write(self.style.SUCCESS(f"Search index: {touched} standard(s) indexed."))
