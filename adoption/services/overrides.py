"""Recording and withdrawing overrides: the adopter departs from the template, with a reason."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from adoption.models import Adoption, Override
from standards.models import PublishedSnapshot

from .adopting import AdoptionError, adopter_draft
from .locks import latest_published
from .writing import add_row, write_field


@transaction.atomic
def add_override(
    *, adoption: Adoption, field_code: str, row_uid: str, reason: str, user: Any
) -> Override:
    """Unlock a field (or a whole row) for local values; the form checked the place and reason."""
    if not reason.strip():
        raise AdoptionError(_("Give the reason for departing from the template."))
    override, created = Override.objects.get_or_create(
        adoption=adoption,
        field_code=field_code,
        row_uid=row_uid,
        defaults={"reason": reason.strip(), "created_by": user},
    )
    if not created:
        raise AdoptionError(_("This place is overridden already."))
    return override


@transaction.atomic
def withdraw_override(*, override: Override, user: Any) -> None:
    """Inherit again: the template's current value goes back into the adopter's draft."""
    adoption = override.adoption
    template_version = latest_published(adoption.template.standard_id)
    if template_version is None:
        raise AdoptionError(_("The template has no published version."))
    content = PublishedSnapshot.objects.get(version=template_version).data["content"]
    draft = adopter_draft(adoption, user)
    if override.field_code:
        from standards.registry import REGISTRY

        field = REGISTRY[override.field_code]
        value = _template_value(content, field.group, field.code, override.row_uid)
        if value is not _MISSING:
            write_field(draft, field.code, override.row_uid, value)
    else:
        for group_name, rows in content.items():
            for row in rows if isinstance(rows, list) else []:
                if str(row["row_id"]) == override.row_uid:
                    add_row(draft, group_name, row)
    override.delete()
    draft.edit_count += 1
    draft.save(update_fields=["edit_count", "updated_at"])


_MISSING = object()


def _template_value(content: dict[str, Any], group: str, code: str, row_uid: str) -> Any:
    data = content.get(group)
    if isinstance(data, list):
        for row in data:
            if str(row["row_id"]) == row_uid:
                return row.get(code)
        return _MISSING
    return (data or {}).get(code)
