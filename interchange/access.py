"""Who may export which published version, and who may import into which item.

Public exports show published (and superseded, i.e. formerly in force)
versions to anyone. The full export adds manual-only fields and is given to
the staff of the owning department and to the editorial reviewers of its
region. Everything else is a 404, so the existence of a version is not
revealed to those who may not see it.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404

from standards.access import department_of, writable_versions
from standards.models import ApprovalItem, PublishedSnapshot, StandardVersion
from standards.views.review_access import is_reviewer, reviewed_scope
from standards.views.workspace import items_for

from .audience import Audience

PUBLIC_STATES = (StandardVersion.State.PUBLISHED, StandardVersion.State.SUPERSEDED)


def published_snapshot(
    user: Any, basic_code: str, department_code: str, number: int, audience: Audience
) -> PublishedSnapshot:
    """The stored snapshot of that version, or 404 when `user` may not export it for `audience`."""
    snapshots = PublishedSnapshot.objects.select_related(
        "version__standard__item", "version__standard__department"
    ).filter(
        version__standard__item__basic_code=basic_code,
        version__standard__department__code=department_code,
        version__number=number,
    )
    if audience is Audience.PUBLIC:
        snapshots = snapshots.filter(version__state__in=PUBLIC_STATES)
    else:
        versions = writable_versions(user)
        if is_reviewer(user):
            versions = versions | StandardVersion.objects.filter(reviewed_scope(user))
        snapshots = snapshots.filter(version__in=versions.values("pk"))
    found = snapshots.first()
    if found is None:
        raise Http404
    return found


def importable_item(user: Any, basic_code: str) -> ApprovalItem:
    """An item the user's department implements, or 404 (also for users without a department)."""
    department = department_of(user)
    if department is None:
        raise Http404
    item = items_for(department).filter(basic_code=basic_code).first()
    if item is None:
        raise Http404
    return item
