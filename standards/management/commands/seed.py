"""Load reference data, role groups and sample standards; optionally demo users.

Idempotent: running it again changes nothing unless a fixture file changed.
"""

from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError, CommandParser

from standards.loading.demo_users import DEMO_USERS, create_demo_users
from standards.loading.demo_workflow import run_demo_workflow
from standards.loading.reference_data import load_reference_data
from standards.loading.samples import load_samples
from standards.loading.upsert import FixtureError
from standards.roles import ensure_role_groups

DEFAULT_FIXTURES = Path(settings.BASE_DIR) / "fixtures"


class Command(BaseCommand):
    help = "Load code lists, regions, departments, items, roles and sample standards."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--fixtures", type=Path, default=DEFAULT_FIXTURES)
        parser.add_argument("--no-samples", action="store_true", help="Skip sample standards.")
        parser.add_argument(
            "--demo-users",
            metavar="PASSWORD",
            help="Also create the demo users with this password (refused unless DEBUG).",
        )

    def handle(self, *args: Any, **options: Any) -> None:
        fixtures: Path = options["fixtures"]
        try:
            report = load_reference_data(fixtures)
            ensure_role_groups()
            if not options["no_samples"]:
                report.merge(load_samples(fixtures / "samples"))
        except FixtureError as error:
            raise CommandError(str(error)) from error
        for line in report.lines():
            self.stdout.write(f"  {line}")
        self.stdout.write(self.style.SUCCESS(f"Loaded; {report.changed} change(s)."))
        password = options["demo_users"]
        if password:
            if not settings.DEBUG:
                raise CommandError("Demo users are for development only (set DEBUG=true).")
            created = create_demo_users(password)
            names = ", ".join(u.username for u in DEMO_USERS)
            self.stdout.write(f"Demo users: {names} ({len(created)} new).")
            if not options["no_samples"]:
                for line in run_demo_workflow():
                    self.stdout.write(f"  {line}")
                from standards.loading.demo_adoption import load_demo_adoption

                for line in load_demo_adoption(password):
                    self.stdout.write(f"  {line}")
        call_command("load_laws", str(fixtures / "laws"), stdout=self.stdout)  # legal-text library
        call_command("link_citations", stdout=self.stdout)
        # Publishing keeps the search index current; this also fills it for a
        # database published before the index existed (cheap when in step).
        call_command("rebuild_search_index", "--stale-only", stdout=self.stdout)
