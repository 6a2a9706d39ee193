"""The adopter's decisions on a template change: accept (into its draft) or keep, per item.

Accepting writes the template's new value into the adopter's open draft
(starting one from its latest version when none is open); published versions
never change. Keeping an inherited value records an override, so the
departure has a reason like any other. When every item is decided the
adoption follows the new template version.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from adoption.models import Adoption, ChangeItem, Override, TemplateChange

from .adopting import AdoptionError, adopter_draft
from .writing import add_row, remove_row, write_field


def _pending_items(change: TemplateChange, item_ids: list[int]) -> list[ChangeItem]:
    items = list(
        ChangeItem.objects.select_for_update().filter(
            change=change, pk__in=item_ids, decision=ChangeItem.Decision.PENDING
        )
    )
    if len(items) != len(set(item_ids)):
        raise AdoptionError(_("Some of these changes were decided already or do not exist."))
    return items


@transaction.atomic
def accept(*, change: TemplateChange, item_ids: list[int], user: Any) -> int:
    """Write the template's new values of these items into the adopter's draft."""
    _require_pending(change)
    items = _pending_items(change, item_ids)
    if not items:
        return 0
    draft = adopter_draft(change.adoption, user)
    now = timezone.now()
    for item in items:
        if item.kind == ChangeItem.Kind.CHANGED:
            if not write_field(draft, item.field_code, item.row_uid, item.after):
                raise AdoptionError(
                    _("The row of this change is no longer in your draft; keep the change instead.")
                )
        elif item.kind == ChangeItem.Kind.ADDED:
            add_row(draft, item.group, dict(item.after or {}))
        else:
            remove_row(draft, item.group, item.row_uid)
        # Accepting a field the adopter had overridden brings it back to the template.
        Override.objects.filter(
            adoption=change.adoption, field_code=item.field_code, row_uid=item.row_uid
        ).delete()
        item.decision, item.decided_by, item.decided_at = ChangeItem.Decision.ACCEPTED, user, now
    ChangeItem.objects.bulk_update(items, ["decision", "decided_by", "decided_at"])
    _after_edit(draft, user)
    _resolve_if_done(change)
    return len(items)


@transaction.atomic
def keep(*, change: TemplateChange, item_ids: list[int], user: Any, reason: str) -> int:
    """Keep the local values; an inherited value kept becomes an override with the reason."""
    _require_pending(change)
    reason = reason.strip()
    if not reason:
        raise AdoptionError(_("Give the reason for keeping your value."))
    items = _pending_items(change, item_ids)
    now = timezone.now()
    for item in items:
        Override.objects.get_or_create(
            adoption=change.adoption,
            field_code=item.field_code,
            row_uid=item.row_uid,
            defaults={"reason": reason, "created_by": user},
        )
        item.decision, item.decided_by, item.decided_at = ChangeItem.Decision.KEPT, user, now
    ChangeItem.objects.bulk_update(items, ["decision", "decided_by", "decided_at"])
    _resolve_if_done(change)
    return len(items)


def accept_untouched(*, change: TemplateChange, user: Any) -> int:
    """Accept, at once, every pending item whose local value the adopter never touched."""
    ids = list(
        change.items.filter(decision=ChangeItem.Decision.PENDING, untouched=True).values_list(
            "pk", flat=True
        )
    )
    return accept(change=change, item_ids=ids, user=user) if ids else 0


def _require_pending(change: TemplateChange) -> None:
    if change.state != TemplateChange.State.PENDING:
        raise AdoptionError(_("This template change is no longer pending."))


def _after_edit(draft: Any, user: Any) -> None:
    from standards.services.drafting import refresh_progress

    draft.edit_count += 1  # editors holding the old content see a conflict
    draft.save(update_fields=["edit_count", "updated_at"])
    refresh_progress(draft, user=user)


def _resolve_if_done(change: TemplateChange) -> None:
    if change.items.filter(decision=ChangeItem.Decision.PENDING).exists():
        return
    change.state = TemplateChange.State.RESOLVED
    change.save(update_fields=["state"])
    Adoption.objects.filter(pk=change.adoption_id).update(
        adopted_template_version=change.to_version_id
    )
