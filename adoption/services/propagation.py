"""A new template version reaches every adopter as a per-field comparison.

For each field (and row) that changed between the template version the
adopter follows and the new one, the item records the template's value before
and after and the adopter's own value, and whether the adopter's value is
inherited (untouched: still the template's previous value, no override) or its
own. Nothing is written to the adopter's standard here.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from adoption.models import Adoption, ChangeItem, Override, Template, TemplateChange
from standards.diff import ChangeKind, _comparable, diff_content
from standards.models import PublishedSnapshot, StandardVersion
from standards.registry import REGISTRY
from standards.snapshot import snapshot

from .adopting import current_version

log = logging.getLogger(__name__)


def on_template_published(snapshot_id: int) -> int:
    """Create a pending change for every adopter of the template; returns how many."""
    published = PublishedSnapshot.objects.select_related("version").get(pk=snapshot_id)
    template = Template.objects.filter(standard_id=published.version.standard_id).first()
    if template is None:
        return 0
    count = 0
    for adoption in template.adoptions.select_related("adopted_template_version"):
        with transaction.atomic():
            if propagate(adoption, published) is not None:
                count += 1
    return count


def propagate(adoption: Adoption, published: PublishedSnapshot) -> TemplateChange | None:
    """The adopter's change for `published`, superseding its older pending ones."""
    to_version = published.version
    from_version = adoption.adopted_template_version
    if to_version.pk == from_version.pk or to_version.number < from_version.number:
        return None
    if TemplateChange.objects.filter(adoption=adoption, to_version=to_version).exists():
        return None
    TemplateChange.objects.filter(adoption=adoption, state=TemplateChange.State.PENDING).update(
        state=TemplateChange.State.SUPERSEDED
    )
    before = PublishedSnapshot.objects.get(version=from_version).data["content"]
    after = published.data["content"]
    local_version = current_version(adoption)
    local = snapshot(local_version)["content"] if local_version is not None else {}
    overrides = set(Override.objects.filter(adoption=adoption).values_list("field_code", "row_uid"))
    change = TemplateChange.objects.create(
        adoption=adoption, from_version=from_version, to_version=to_version
    )
    ChangeItem.objects.bulk_create(_items(change, before, after, local, overrides))
    return change


def _items(
    change: TemplateChange,
    before: dict[str, Any],
    after: dict[str, Any],
    local: dict[str, Any],
    overrides: set[tuple[str, str]],
) -> list[ChangeItem]:
    local_rows = _rows_by_id(local)
    items = []
    for diff in diff_content(before, after):
        group = REGISTRY.group(diff.group)
        row_uid = diff.row_id or ""
        if diff.kind is ChangeKind.MOVED:
            continue  # order within a group is the adopter's to keep
        if diff.kind is ChangeKind.CHANGED:
            code = str(diff.code)
            if group.repeats:
                local_row = local_rows.get((diff.group, row_uid))
                local_value = None if local_row is None else local_row.get(code)
            else:
                local_value = (local.get(diff.group) or {}).get(code)
            field = REGISTRY[code]
            untouched = _comparable(field, local_value) == _comparable(field, diff.before)
            if group.repeats and local_row is None:
                untouched = False  # the adopter removed the row
            overridden = (code, row_uid) in overrides or ("", row_uid) in overrides
            items.append(
                ChangeItem(
                    change=change,
                    kind=ChangeItem.Kind.CHANGED,
                    group=diff.group,
                    field_code=code,
                    row_uid=row_uid,
                    before=diff.before,
                    after=diff.after,
                    local=local_value,
                    local_state=(
                        ChangeItem.Local.OVERRIDDEN
                        if overridden or not untouched
                        else ChangeItem.Local.INHERITED
                    ),
                    untouched=untouched and not overridden,
                )
            )
            continue
        local_row = local_rows.get((diff.group, row_uid))
        if diff.kind is ChangeKind.ADDED:
            untouched = local_row is None
        else:
            untouched = local_row is not None and _same_row(diff.group, local_row, diff.before)
        overridden = ("", row_uid) in overrides
        items.append(
            ChangeItem(
                change=change,
                kind=str(diff.kind),
                group=diff.group,
                row_uid=row_uid,
                before=diff.before,
                after=diff.after,
                local=local_row,
                local_state=(
                    ChangeItem.Local.OVERRIDDEN if overridden else ChangeItem.Local.INHERITED
                ),
                untouched=untouched and not overridden,
            )
        )
    return items


def _rows_by_id(content: dict[str, Any]) -> dict[tuple[str, str], dict[str, Any]]:
    found = {}
    for group in REGISTRY.groups.values():
        if group.repeats:
            for row in content.get(group.name) or []:
                found[(group.name, str(row["row_id"]))] = row
    return found


def _same_row(group_name: str, one: dict[str, Any], other: dict[str, Any] | None) -> bool:
    if other is None:
        return False
    return all(
        _comparable(f, one.get(f.code)) == _comparable(f, other.get(f.code))
        for f in REGISTRY.group(group_name).fields
    )


def pending_changes(adoption: Adoption) -> list[TemplateChange]:
    return list(
        TemplateChange.objects.filter(
            adoption=adoption, state=TemplateChange.State.PENDING
        ).select_related("from_version", "to_version")
    )


def latest_template_version(adoption: Adoption) -> StandardVersion | None:
    from .locks import latest_published

    return latest_published(adoption.template.standard_id)
