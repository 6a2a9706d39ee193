"""Starting standards and drafts, and keeping a version's progress figures current."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.db.models import Max

from standards.completeness import completeness
from standards.models import ApprovalItem, Standard, StandardVersion
from standards.registry import Stage
from standards.snapshot import snapshot

from .copying import copy_content


class DraftError(Exception):
    """The draft cannot be started; the message says why."""


def refresh_progress(version: StandardVersion, *, user: Any = None) -> None:
    """Recompute and store the version's completeness (publish stage), raise its edit count."""
    meters = completeness(snapshot(version), Stage.PUBLISH)
    filled = sum(f for f, _ in meters.values())
    required = sum(r for _, r in meters.values())
    version.completeness = {code: [f, r] for code, (f, r) in meters.items()}
    version.completeness_percent = 100 if required == 0 else filled * 100 // required
    fields = ["completeness", "completeness_percent", "updated_at"]
    if user is not None:
        version.last_edited_by = user
        fields.append("last_edited_by")
    version.save(update_fields=fields)


@transaction.atomic
def start_standard(*, item: ApprovalItem, user: Any) -> StandardVersion:
    """Create the department's standard for `item` with an empty first draft."""
    department = user.department
    standard, _created = Standard.objects.get_or_create(
        item=item, department=department, region=department.region
    )
    if standard.versions.exists():
        raise DraftError("This standard already exists; open it instead.")
    version = StandardVersion.objects.create(standard=standard, number=1, created_by=user)
    refresh_progress(version, user=user)
    return version


@transaction.atomic
def new_draft_from(*, version: StandardVersion, user: Any) -> StandardVersion:
    """A new draft version holding a copy of every row of `version`."""
    standard = Standard.objects.select_for_update().get(pk=version.standard_id)
    if standard.versions.open().exists():
        raise DraftError("A version of this standard is already being prepared.")
    number = (standard.versions.aggregate(last=Max("number"))["last"] or 0) + 1
    draft = StandardVersion.objects.create(
        standard=standard,
        number=number,
        created_by=user,
        effective_from=None,
        change_note="",
    )
    copy_content(source=version, target=draft)
    refresh_progress(draft, user=user)
    return draft
