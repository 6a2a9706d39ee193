"""The snapshot: a version's whole content as plain, JSON-ready data.

`snapshot(version)` is the contract between authoring and everything that
reads a standard (publishing, the guide, the manual, diffs, exports). Values
are keyed by registry field code, grouped by registry group, in registry order;
rows carry a stable `row_id` and references name the `row_id`s they point at.
Empty values are `None` (or `[]` for lists), so "filled" means the same thing
everywhere.
"""

from __future__ import annotations

import datetime
from typing import Any

from django.db import models
from django.db.models import Prefetch

from .models import StandardVersion
from .registry import REGISTRY, Field, FieldType, Group

SCHEMA_VERSION = 1

Snapshot = dict[str, Any]


def snapshot(version: StandardVersion) -> Snapshot:
    version = StandardVersion.objects.select_related(
        "standard__item", "standard__department", "standard__region"
    ).get(pk=version.pk)
    return {
        "schema_version": SCHEMA_VERSION,
        "standard": _standard_meta(version),
        "content": {
            name: _group_content(version, group) for name, group in REGISTRY.groups.items()
        },
    }


def _standard_meta(version: StandardVersion) -> dict[str, Any]:
    standard = version.standard
    item, department, region = standard.item, standard.department, standard.region
    return {
        "item": {
            "basic_code": item.basic_code,
            "name": item.name,
            "common_name": item.common_name or None,
            "item_type": item.item_type,
            "levels": item.levels,
        },
        "department": {"code": department.code, "name": department.name},
        "region": {"code": region.code, "name": region.name, "level": region.level},
        "version": {
            "number": version.number,
            "effective_from": _date(version.effective_from),
            "effective_to": _date(version.effective_to),
            "change_note": version.change_note or None,
        },
    }


def _group_content(version: StandardVersion, group: Group) -> Any:
    model = group.model
    refs = [f for f in group.fields if f.type is FieldType.REF]
    queryset = model._default_manager.filter(version=version).prefetch_related(
        *(
            Prefetch(
                f.attribute,
                queryset=REGISTRY.group(f.ref_group).model._default_manager.only("uid", "position"),
            )
            for f in refs
        )
    )
    if group.repeats:
        return [{"row_id": str(row.uid), **_values(row, group)} for row in queryset]
    row = queryset.first()
    return _values(row, group) if row is not None else {f.code: _empty(f) for f in group.fields}


def _values(instance: models.Model, group: Group) -> dict[str, Any]:
    return {f.code: _value(instance, f) for f in group.fields}


def _value(instance: models.Model, field: Field) -> Any:
    raw = getattr(instance, field.attribute)
    match field.type:
        case FieldType.REF:
            return [str(row.uid) for row in raw.all()]
        case FieldType.MULTICHOICE:
            order = REGISTRY.codelist(field.codelist).values
            return sorted(raw or [], key=order.index)
        case FieldType.FILE:
            return raw.name or None
        case FieldType.DATE:
            return _date(raw)
        case FieldType.BOOLEAN | FieldType.INTEGER | FieldType.DURATION:
            return raw
    return raw or None


def _empty(field: Field) -> Any:
    return [] if field.type in (FieldType.REF, FieldType.MULTICHOICE) else None


def _date(value: datetime.date | None) -> str | None:
    return value.isoformat() if value else None
