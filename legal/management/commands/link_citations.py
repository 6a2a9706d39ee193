"""Tie the legal-basis rows of every open and published version to the library.

Lists the rows that could not be tied (law not in the library) or only partly
(article not in the library, no article number recognised).
"""

from typing import Any

from django.core.management.base import BaseCommand

from legal.services.citations import link_versions, live_versions


class Command(BaseCommand):
    help = "Link legal-basis rows to law versions and articles; list the rows left unmatched."

    def handle(self, *args: Any, **options: Any) -> None:
        report = link_versions(live_versions())
        self.stdout.write(
            f"Citations: {report.created} created, {report.updated} updated, "
            f"{report.removed} removed, {report.unchanged} unchanged."
        )
        if report.unmatched:
            self.stdout.write(f"Rows not (fully) matched: {len(report.unmatched)}")
        for row in report.unmatched:
            self.stdout.write(
                f"  {row.item_name} · {row.department_name} v{row.version_number}: "
                f"{row.law_name} {row.article_number} — {row.reason}"
            )
