"""Who may read the library and the flags (deny by default).

Reading the library (laws, versions, which published standards cite them) is
open to department staff and leaders of any department, editorial reviewers and
administrators: the laws are shared and the citing standards are published.
A department's flags are seen by its own staff and leaders only.
"""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import Http404

from standards.access import DEPARTMENT_ROLES, roles_of
from standards.roles import Role

from .models import LawChangeFlag

READERS = frozenset({*DEPARTMENT_ROLES, Role.EDITORIAL_REVIEWER, Role.ADMINISTRATOR})


def may_read_library(user: Any) -> bool:
    return bool(roles_of(user) & READERS) or bool(user.is_active and user.is_superuser)


def require_library_reader(user: Any) -> None:
    if not may_read_library(user):
        raise PermissionDenied


def flag_for_department(user: Any, pk: int) -> LawChangeFlag:
    """The flag, or 404 when it is not the user's department's."""
    if not (roles_of(user) & DEPARTMENT_ROLES) or not user.department_id:
        raise Http404
    flag = (
        LawChangeFlag.objects.select_related(
            "standard__item", "standard__department", "old_law_version__law", "new_law_version"
        )
        .filter(pk=pk, standard__department_id=user.department_id)
        .first()
    )
    if flag is None:
        raise Http404
    return flag
