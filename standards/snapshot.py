"""The snapshot: a version's whole content as plain, JSON-ready data.

`snapshot(version)` is the contract between authoring and everything that
reads a standard (publishing, the guide, the manual, diffs, exports). Values
are keyed by registry field code, grouped by registry group, in registry order;
rows carry a stable `row_id` and references name the `row_id`s they point at.
Empty values are `None` (or `[]` for lists), so "filled" means the same thing
everywhere.

Reading is batched so that the query count is fixed whatever the rows:
one query for the version with every single-valued section joined in, one per
repeating group, and one UNION over all reference tables.
"""

from __future__ import annotations

import datetime
from collections import defaultdict
from typing import Any

from django.core.exceptions import ObjectDoesNotExist
from django.db import models
from django.db.models import Value

from .models import StandardVersion
from .registry import REGISTRY, Field, FieldType, Group

SCHEMA_VERSION = 1

Snapshot = dict[str, Any]
# (field code, source row pk) -> target row uids in the target group's order
References = dict[tuple[str, int], list[str]]


def section_accessor(group: Group) -> str:
    """The attribute of a version that holds a single-valued group's row."""
    return group.model._meta.get_field("version").remote_field.get_accessor_name()


def snapshot(version: StandardVersion) -> Snapshot:
    singles = [g for g in REGISTRY.groups.values() if not g.repeats]
    version = StandardVersion.objects.select_related(
        "standard__item",
        "standard__department",
        "standard__region",
        *(section_accessor(g) for g in singles),
    ).get(pk=version.pk)
    references = load_references(version)
    content: dict[str, Any] = {}
    for name, group in REGISTRY.groups.items():
        if group.repeats:
            rows = group.model._default_manager.filter(version=version)
            content[name] = [
                {"row_id": str(row.uid), **values_of(row, group, references)} for row in rows
            ]
        else:
            content[name] = values_of(_section(version, group), group, references)
    return {
        "schema_version": SCHEMA_VERSION,
        "standard": standard_meta(version),
        "content": content,
    }


def load_references(version: StandardVersion, groups: list[Group] | None = None) -> References:
    """Every reference of the version's rows, from one UNION query."""
    queries = []
    for group in groups or list(REGISTRY.groups.values()):
        for field in group.fields:
            if field.type is FieldType.REF:
                queries.append(_reference_query(version, group, field))
    found: dict[tuple[str, int], list[tuple[int, int, str]]] = defaultdict(list)
    if not queries:
        return {}
    union = queries[0].union(*queries[1:], all=True) if len(queries) > 1 else queries[0]
    for code, source, position, target, uid in union:
        found[(code, source)].append((position, target, str(uid)))
    return {key: [uid for *_order, uid in sorted(rows)] for key, rows in found.items()}


def _reference_query(version: StandardVersion, group: Group, field: Field) -> models.QuerySet:
    relation = group.model._meta.get_field(field.attribute)
    through = relation.remote_field.through
    source = relation.m2m_field_name()
    target = relation.m2m_reverse_field_name()
    return through._default_manager.filter(**{f"{source}__version": version}).values_list(
        Value(field.code, output_field=models.CharField()),
        f"{source}_id",
        f"{target}__position",
        f"{target}_id",
        f"{target}__uid",
    )


def values_of(
    instance: models.Model | None, group: Group, references: References
) -> dict[str, Any]:
    if instance is None:
        return {f.code: _empty(f) for f in group.fields}
    return {f.code: _value(instance, f, references) for f in group.fields}


def _section(version: StandardVersion, group: Group) -> models.Model | None:
    try:
        return getattr(version, section_accessor(group))
    except ObjectDoesNotExist:
        return None


def standard_meta(version: StandardVersion) -> dict[str, Any]:
    """The snapshot's `standard` part: item, department, region and version."""
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


def _value(instance: models.Model, field: Field, references: References) -> Any:
    if field.type is FieldType.REF:
        return list(references.get((field.code, instance.pk), []))
    raw = getattr(instance, field.attribute)
    match field.type:
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
