"""Writing template values into an adopter's draft: one field, a row added, a row removed.

Values come in the snapshot's shape (standards.snapshot): codes for choices,
ISO dates, row uids for references. Only drafts are written (the caller gets
the draft from `adopting.adopter_draft`).
"""

from __future__ import annotations

import datetime
from typing import Any

from standards.models import StandardVersion
from standards.registry import REGISTRY, Field, FieldType, Group


def model_value(field: Field, value: Any) -> Any:
    """A snapshot value as the model attribute stores it."""
    match field.type:
        case FieldType.MULTICHOICE:
            return list(value or [])
        case FieldType.DATE:
            return datetime.date.fromisoformat(value) if value else None
        case FieldType.BOOLEAN | FieldType.INTEGER | FieldType.DURATION:
            return value
        case FieldType.FILE:
            return value or ""
    return "" if value is None else value


def _row(draft: StandardVersion, group: Group, row_uid: str) -> Any:
    manager = group.model._default_manager.filter(version=draft)
    if group.repeats:
        return manager.filter(uid=row_uid).first()
    return manager.first() or group.model(version=draft)


def _set_refs(draft: StandardVersion, instance: Any, field: Field, uids: list[str]) -> None:
    targets = REGISTRY.group(field.ref_group).model._default_manager.filter(
        version=draft, uid__in=uids
    )
    getattr(instance, field.attribute).set(list(targets))


def write_field(draft: StandardVersion, code: str, row_uid: str, value: Any) -> bool:
    """Set one field; False when the row no longer exists in the draft."""
    field = REGISTRY[code]
    group = REGISTRY.group(field.group)
    instance = _row(draft, group, row_uid)
    if instance is None:
        return False
    if field.type is FieldType.REF:
        if instance.pk is None:
            instance.save()
        _set_refs(draft, instance, field, list(value or []))
        return True
    setattr(instance, field.attribute, model_value(field, value))
    instance.save()
    return True


def add_row(draft: StandardVersion, group_name: str, row: dict[str, Any]) -> None:
    """Append the template's row (same uid) unless the draft has it already."""
    group = REGISTRY.group(group_name)
    manager = group.model._default_manager
    if manager.filter(version=draft, uid=row["row_id"]).exists():
        return
    values = {
        f.attribute: model_value(f, row.get(f.code))
        for f in group.fields
        if f.type is not FieldType.REF
    }
    position = manager.filter(version=draft).count()
    instance = manager.create(version=draft, uid=row["row_id"], position=position, **values)
    for f in group.fields:
        if f.type is FieldType.REF and row.get(f.code):
            _set_refs(draft, instance, f, list(row[f.code]))


def remove_row(draft: StandardVersion, group_name: str, row_uid: str) -> None:
    group = REGISTRY.group(group_name)
    group.model._default_manager.filter(version=draft, uid=row_uid).delete()
