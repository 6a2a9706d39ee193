"""The work-list panel of law changes, included in the department workspace."""

from __future__ import annotations

from typing import Any

from django import template

from legal.models import LawChangeFlag

register = template.Library()


@register.inclusion_tag("legal/includes/work_list.html")
def law_change_flags(department: Any) -> dict[str, Any]:
    """The department's open flags: one query."""
    flags = (
        LawChangeFlag.objects.open()
        .for_department(department.pk)
        .select_related("standard__item", "old_law_version__law", "new_law_version")
        .order_by("standard__item__basic_code", "-created_at")
        if department is not None
        else LawChangeFlag.objects.none()
    )
    return {"flags": list(flags)}
