"""Builds version content from the registry: every group, every field filled.

Values follow each field's type, so a test exercises all 315 fields without
listing them.
"""

import datetime
from typing import Any

from django.core.files.base import ContentFile

from standards.models import StandardVersion
from standards.registry import REGISTRY, Field, FieldType


def value_for(field: Field, marker: str = "") -> Any:
    match field.type:
        case FieldType.TEXT:
            return f"{field.label_zh}{marker}"
        case FieldType.LONGTEXT:
            return f"{field.label_zh}的具体内容{marker}。"
        case FieldType.CHOICE:
            return REGISTRY.codelist(field.codelist).values[0]
        case FieldType.MULTICHOICE:
            return list(reversed(REGISTRY.codelist(field.codelist).values[:2]))
        case FieldType.BOOLEAN:
            return True
        case FieldType.INTEGER | FieldType.DURATION:
            return 3
        case FieldType.DATE:
            return datetime.date(2026, 1, 1)
        case FieldType.URL:
            return "https://www.gdzwfw.gov.cn/item/1"
        case FieldType.EMAIL:
            return "service@example.gov.cn"
        case FieldType.PHONE:
            return "020-83133333"
    raise ValueError(field)


def fill_version(version: StandardVersion, rows_per_group: int = 1) -> dict[str, list[Any]]:
    """Create every group's content for `version`; returns the instances by group."""
    created: dict[str, list[Any]] = {}
    for name, group in REGISTRY.groups.items():
        count = rows_per_group if group.repeats else 1
        created[name] = []
        for index in range(count):
            values = {
                f.attribute: value_for(f, f"{index}" if group.repeats else "")
                for f in group.fields
                if f.type not in (FieldType.REF, FieldType.FILE)
            }
            extra = {"position": index} if group.repeats else {}
            instance = group.model.objects.create(version=version, **values, **extra)
            for f in group.fields:
                if f.type is FieldType.FILE:
                    getattr(instance, f.attribute).save("表格.pdf", ContentFile(b"%PDF-1.4\n"))
            created[name].append(instance)
    for name, group in REGISTRY.groups.items():
        for instance in created[name]:
            for f in group.fields:
                if f.type is FieldType.REF:
                    getattr(instance, f.attribute).set(created[f.ref_group])
    return created
