"""Posting content through the editor's section forms, as a browser would.

`section_post_data` turns snapshot-shaped content of one section into the
POST data of that section's page, so tests can enter whole standards through
the real forms.
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse

from standards.models import StandardVersion
from standards.registry import REGISTRY, FieldType, Section
from standards.services.editing import section_state, sign_base


def form_value(field: Any, value: Any, files: dict[str, bytes]) -> Any:
    if value in (None, []):
        return [] if field.type in (FieldType.MULTICHOICE, FieldType.REF) else ""
    match field.type:
        case FieldType.BOOLEAN:
            return "true" if value else "false"
        case FieldType.INTEGER | FieldType.DURATION:
            return str(value)
        case FieldType.FILE:
            name = str(value).rsplit("/", 1)[-1]
            return SimpleUploadedFile(name, files.get(value, b"%PDF-1.4\n%%EOF\n"))
    return value


def section_post_data(
    version: StandardVersion,
    section: Section,
    content: dict[str, Any],
    *,
    uid_map: dict[str, str] | None = None,
    with_refs: bool = True,
    files: dict[str, bytes] | None = None,
) -> dict[str, Any]:
    """POST data for one section. `uid_map` maps content row ids to this version's row uids."""
    uid_map = uid_map or {}
    files = files or {}
    stored = section_state(version, section)
    data: dict[str, Any] = {"edit_count": str(version.edit_count), "base": sign_base(stored)}
    for group in section.groups:
        if group.repeats:
            rows = content.get(group.name, [])
            existing = {
                row.uid: row.pk for row in group.model._default_manager.filter(version=version)
            }
            data[f"{group.name}-TOTAL_FORMS"] = str(len(rows))
            data[f"{group.name}-INITIAL_FORMS"] = str(
                sum(1 for r in rows if _uid(uid_map, r["row_id"]) in {str(u) for u in existing})
            )
            data[f"{group.name}-MIN_NUM_FORMS"] = "0"
            data[f"{group.name}-MAX_NUM_FORMS"] = "1000"
            # Existing rows must come first, as the formset expects.
            ordered = sorted(
                rows, key=lambda r: _uid(uid_map, r["row_id"]) not in {str(u) for u in existing}
            )
            by_uid = {str(uid): pk for uid, pk in existing.items()}
            for index, row in enumerate(ordered):
                prefix = f"{group.name}-{index}"
                pk = by_uid.get(_uid(uid_map, row["row_id"]))
                data[f"{prefix}-id"] = str(pk) if pk else ""
                data[f"{prefix}-ORDER"] = str(rows.index(row) + 1)
                _fields(data, prefix, group, row, uid_map, with_refs, files)
        else:
            _fields(data, group.name, group, content.get(group.name, {}), uid_map, with_refs, files)
    return data


def _fields(
    data: dict[str, Any],
    prefix: str,
    group: Any,
    values: dict[str, Any],
    uid_map: dict[str, str],
    with_refs: bool,
    files: dict[str, bytes],
) -> None:
    for field in group.fields:
        value = values.get(field.code)
        if field.type is FieldType.REF:
            value = [_uid(uid_map, v) for v in value or []] if with_refs else []
        # A browser sends a file only when one is chosen: stored files (their
        # storage names have a folder) are not sent again unless given in `files`.
        if field.type is FieldType.FILE and (not value or ("/" in value and value not in files)):
            continue
        data[f"{prefix}-{field.attribute}"] = form_value(field, value, files)


def _uid(uid_map: dict[str, str], row_id: str) -> str:
    return uid_map.get(row_id, row_id)


def post_section(client: Client, version: StandardVersion, code: str, data: dict[str, Any]) -> Any:
    url = reverse("standards:section", args=[version.pk, code])
    return client.post(url, data)


def sections() -> list[Section]:
    return list(REGISTRY.sections)
