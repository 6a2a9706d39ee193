"""Marking templates and adopting them: the local standard starts as a copy of the template."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from adoption.access import local_department, provincial_department
from adoption.models import TEMPLATE_LEVELS, Adoption, Template
from standards.models import Standard, StandardVersion
from standards.services.copying import copy_content
from standards.services.drafting import refresh_progress

from .locks import latest_published


class AdoptionError(Exception):
    """The action is refused; the message (translated) says why."""


@transaction.atomic
def mark_template(*, standard: Standard, user: Any) -> Template:
    """Make a provincial department's published standard a template for lower levels."""
    department = provincial_department(user)
    if department is None or standard.department_id != department.pk:
        raise AdoptionError(
            _("Only the provincial department that owns a standard can make it a template.")
        )
    if standard.item.levels not in [str(v) for v in TEMPLATE_LEVELS]:
        raise AdoptionError(
            _("Only items exercised at the province and at a lower level can have a template.")
        )
    if latest_published(standard.pk) is None:
        raise AdoptionError(_("Publish the standard before making it a template."))
    template, _created = Template.objects.get_or_create(
        standard=standard, defaults={"levels": standard.item.levels, "created_by": user}
    )
    return template


@transaction.atomic
def adopt(*, template: Template, user: Any) -> Adoption:
    """Start the department's standard for the template's item as a copy of its latest version.

    Rows keep their uids, so each local row can be matched to the template's
    row it came from (inherited) or known as local (an extension).
    """
    department = local_department(user)
    if department is None:
        raise AdoptionError(_("Only city and county departments adopt templates."))
    if department.region.level not in template.level_set:
        raise AdoptionError(_("This template does not serve your level."))
    source = latest_published(template.standard_id)
    if source is None:
        raise AdoptionError(_("The template has no published version."))
    standard, _created = Standard.objects.get_or_create(
        item_id=template.standard.item_id, department=department, region=department.region
    )
    if standard.versions.exists():
        raise AdoptionError(_("Your department already has a standard for this item."))
    draft = StandardVersion.objects.create(
        standard=standard,
        number=1,
        created_by=user,
        change_note=_("Adopted from the provincial template."),
    )
    copy_content(source=source, target=draft)
    refresh_progress(draft, user=user)
    return Adoption.objects.create(
        standard=standard, template=template, adopted_template_version=source, created_by=user
    )


def adopter_draft(adoption: Adoption, user: Any) -> StandardVersion:
    """The adopter's version that may take changes: its open draft, started if needed.

    A published version is never written: a new draft copies it first.
    """
    from standards.services.drafting import new_draft_from

    versions = StandardVersion.objects.filter(standard_id=adoption.standard_id)
    open_version = versions.open().first()
    if open_version is not None:
        if not open_version.is_editable:
            raise AdoptionError(
                _(
                    "The open version is in the filing workflow; "
                    "decide after it is returned or published."
                )
            )
        return open_version
    base = versions.exclude(state=StandardVersion.State.WITHDRAWN).order_by("-number").first()
    if base is None:
        raise AdoptionError(_("The standard has no version to start a draft from."))
    return new_draft_from(version=base, user=user)


def current_version(adoption: Adoption) -> StandardVersion | None:
    """The adopter's version people work on: the open one, else the latest published."""
    versions = StandardVersion.objects.filter(standard_id=adoption.standard_id)
    return versions.open().first() or versions.published().order_by("-number").first()
