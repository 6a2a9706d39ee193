"""API tokens: one per user, shown once when created or rotated."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from rest_framework.authtoken.models import Token

from standards.access import roles_of


def may_hold_token(user: Any) -> bool:
    """Users with a role (department staff and leaders, reviewers, administrators)."""
    return bool(roles_of(user))


@transaction.atomic
def rotate(user: Any) -> Token:
    """A new token for `user`; the previous one stops working at once."""
    Token.objects.filter(user=user).delete()
    return Token.objects.create(user=user)
