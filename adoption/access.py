"""Who may mark templates, adopt them and decide on their changes.

Denied by default: templates are marked by the provincial department that owns
the standard; adoptions are started and changed only by staff of the adopting
department (another department's adoption is a 404, as for drafts).
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from django.http import Http404

from standards.access import department_of
from standards.models import Department, Region

from .models import Adoption, Template


def provincial_department(user: Any) -> Department | None:
    department = department_of(user)
    if department is not None and department.region.level == Region.Level.PROVINCE:
        return department
    return None


def local_department(user: Any) -> Department | None:
    """The user's department when it is a city's or a county's (those adopt templates)."""
    department = department_of(user)
    if department is not None and department.region.level != Region.Level.PROVINCE:
        return department
    return None


def adoptable_templates(department: Department) -> QuerySet[Template]:
    """Templates serving the department's level that it has not adopted yet."""
    level = department.region.level
    levels = [value for value in _template_levels() if level in value.split("_")]
    return (
        Template.objects.filter(levels__in=levels)
        .exclude(standard__item__standards__department=department)
        .select_related("standard__item", "standard__department")
    )


def _template_levels() -> list[str]:
    from .models import TEMPLATE_LEVELS

    return [str(v) for v in TEMPLATE_LEVELS]


def adoptions_of(user: Any) -> QuerySet[Adoption]:
    department = department_of(user)
    if department is None:
        return Adoption.objects.none()
    return Adoption.objects.filter(standard__department=department)


def adoption_for(user: Any, pk: int) -> Adoption:
    """The user's department's adoption, or 404."""
    adoption = (
        adoptions_of(user)
        .select_related(
            "standard__item",
            "standard__department",
            "standard__region",
            "template__standard__department",
            "adopted_template_version",
        )
        .filter(pk=pk)
        .first()
    )
    if adoption is None:
        raise Http404
    return adoption
