"""Create or rotate a user's API token from the command line (for administrators)."""

from __future__ import annotations

from typing import Any

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError, CommandParser

from api.tokens import may_hold_token, rotate


class Command(BaseCommand):
    help = "Print a new API token for a user; the user's previous token stops working."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("username")

    def handle(self, *args: Any, **options: Any) -> None:
        user = get_user_model().objects.filter(username=options["username"]).first()
        if user is None or not user.is_active:
            raise CommandError(f"No active user named {options['username']!r}.")
        if not may_hold_token(user):
            raise CommandError(f"{user.username} has no role; give them one first.")
        self.stdout.write(rotate(user).key)
