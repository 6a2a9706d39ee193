"""Who may see and change what — denied unless a rule here allows it.

Views fetch objects only through these helpers: an object the user may not
see is a 404 (its existence is not revealed); an action the user may not take
on an object they can see is a 403.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from .models import Department, StandardVersion
from .roles import Role

DEPARTMENT_ROLES = frozenset({Role.DEPARTMENT_STAFF, Role.DEPARTMENT_LEADER})


def roles_of(user: Any) -> frozenset[str]:
    """The user's roles, read once per request and kept on the user object."""
    if not user.is_authenticated or not user.is_active:
        return frozenset()
    cached = getattr(user, "_role_names", None)
    if cached is None:
        cached = frozenset(user.groups.values_list("name", flat=True))
        user._role_names = cached
    return cached


def department_of(user: Any) -> Department | None:
    """The department whose standards the user writes, if they write any."""
    if roles_of(user) & DEPARTMENT_ROLES and user.department_id:
        return user.department
    return None


def writable_versions(user: Any) -> Any:
    """Versions of the user's own department (any state): the workspace's scope."""
    department = department_of(user)
    if department is None:
        return StandardVersion.objects.none()
    return StandardVersion.objects.filter(standard__department=department)


def version_for_editor(user: Any, pk: int, *, for_update: bool = False) -> StandardVersion:
    """The version with its standard, or 404 when it is not the user's department's."""
    queryset = writable_versions(user).select_related(
        "standard__item", "standard__department", "standard__region", "last_edited_by"
    )
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    version = queryset.filter(pk=pk).first()
    if version is None:
        raise Http404
    return version


def require_editable(user: Any, version: StandardVersion) -> None:
    """403 unless the user may change this version's content now."""
    if not version.is_editable or department_of(user) is None:
        raise PermissionDenied
