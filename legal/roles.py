"""Who may keep the library in the admin: the editorial office and administrators.

The role groups are defined in `standards.roles`; this adds the library's model
permissions to the two groups that maintain it. Department staff read the
library on its page but never change it.
"""

from __future__ import annotations

from django.contrib.auth.models import Group, Permission
from django.db.models import Q

from standards.roles import Role

MAINTAINED = ("law", "lawversion", "article")
READ_ONLY = ("citation", "lawchangeflag")
MAINTAINERS = (Role.EDITORIAL_REVIEWER, Role.ADMINISTRATOR)


def library_permissions() -> list[Permission]:
    codenames = [f"{action}_{name}" for action in ("view", "add", "change") for name in MAINTAINED]
    codenames += [f"view_{name}" for name in READ_ONLY]
    return list(
        Permission.objects.filter(Q(content_type__app_label="legal"), codename__in=codenames)
    )


def ensure_library_permissions() -> None:
    """Idempotent: give the maintaining groups the library's permissions."""
    permissions = library_permissions()
    for role in MAINTAINERS:
        group, _created = Group.objects.get_or_create(name=role.value)
        group.permissions.add(*permissions)
