"""A JSON Schema for snapshots, derived from the registry.

Every snapshot — of a draft or of a published version — validates against it;
a value of the wrong type, a code outside its list or an unknown key fails.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from jsonschema import Draft202012Validator

from .models.fields import PHONE_PATTERN
from .registry import REGISTRY, Field, FieldType
from .registry.catalogue import TEXT_MAX_LENGTH
from .snapshot import SCHEMA_VERSION

_UUID = "^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$"
_DATE = r"^\d{4}-\d{2}-\d{2}$"


def _nullable(schema: dict[str, Any]) -> dict[str, Any]:
    return {"anyOf": [schema, {"type": "null"}]}


def field_schema(field: Field) -> dict[str, Any]:
    match field.type:
        case FieldType.TEXT:
            return _nullable({"type": "string", "minLength": 1, "maxLength": TEXT_MAX_LENGTH})
        case FieldType.LONGTEXT:
            return _nullable({"type": "string", "minLength": 1})
        case FieldType.CHOICE:
            return _nullable({"enum": REGISTRY.codelist(field.codelist).values})
        case FieldType.MULTICHOICE:
            return {
                "type": "array",
                "items": {"enum": REGISTRY.codelist(field.codelist).values},
                "uniqueItems": True,
            }
        case FieldType.BOOLEAN:
            return {"type": ["boolean", "null"]}
        case FieldType.INTEGER | FieldType.DURATION:
            return {"type": ["integer", "null"], "minimum": 0}
        case FieldType.DATE:
            return _nullable({"type": "string", "pattern": _DATE})
        case FieldType.URL:
            return _nullable({"type": "string", "pattern": "^https?://", "maxLength": 500})
        case FieldType.EMAIL:
            return _nullable({"type": "string", "pattern": "^[^@\\s]+@[^@\\s]+$"})
        case FieldType.PHONE:
            return _nullable({"type": "string", "pattern": PHONE_PATTERN})
        case FieldType.FILE:
            return _nullable({"type": "string", "minLength": 1})
        case FieldType.REF:
            return {
                "type": "array",
                "items": {"type": "string", "pattern": _UUID},
                "uniqueItems": True,
            }
    raise ValueError(f"No schema for {field}")


def _group_schema(name: str) -> dict[str, Any]:
    group = REGISTRY.group(name)
    properties = {f.code: field_schema(f) for f in group.fields}
    if not group.repeats:
        return {
            "type": "object",
            "properties": properties,
            "required": list(properties),
            "additionalProperties": False,
        }
    row = {
        "type": "object",
        "properties": {"row_id": {"type": "string", "pattern": _UUID}, **properties},
        "required": ["row_id", *properties],
        "additionalProperties": False,
    }
    return {"type": "array", "items": row}


def _text(nullable: bool = False) -> dict[str, Any]:
    schema = {"type": "string", "minLength": 1}
    return _nullable(schema) if nullable else schema


@cache
def snapshot_schema() -> dict[str, Any]:
    groups = {name: _group_schema(name) for name in REGISTRY.groups}
    closed = {"type": "object", "additionalProperties": False}
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"urn:approval-standards:snapshot:{SCHEMA_VERSION}",
        "title": "Approval-item standard snapshot",
        "type": "object",
        "required": ["schema_version", "standard", "content"],
        "additionalProperties": False,
        "properties": {
            "schema_version": {"const": SCHEMA_VERSION},
            "standard": {
                **closed,
                "required": ["item", "department", "region", "version"],
                "properties": {
                    "item": {
                        **closed,
                        "required": ["basic_code", "name", "common_name", "item_type", "levels"],
                        "properties": {
                            "basic_code": {"type": "string", "pattern": r"^\d{12}$"},
                            "name": _text(),
                            "common_name": _text(nullable=True),
                            "item_type": {"enum": REGISTRY.codelist("item_type").values},
                            "levels": _text(),
                        },
                    },
                    "department": {
                        **closed,
                        "required": ["code", "name"],
                        "properties": {"code": _text(), "name": _text()},
                    },
                    "region": {
                        **closed,
                        "required": ["code", "name", "level"],
                        "properties": {
                            "code": {"type": "string", "pattern": r"^\d{6}$"},
                            "name": _text(),
                            "level": {"enum": ["province", "city", "county"]},
                        },
                    },
                    "version": {
                        **closed,
                        "required": ["number", "effective_from", "effective_to", "change_note"],
                        "properties": {
                            "number": {"type": "integer", "minimum": 1},
                            "effective_from": _nullable({"type": "string", "pattern": _DATE}),
                            "effective_to": _nullable({"type": "string", "pattern": _DATE}),
                            "change_note": _text(nullable=True),
                        },
                    },
                },
            },
            "content": {
                **closed,
                "required": list(groups),
                "properties": groups,
            },
        },
    }


def schema_errors(data: dict[str, Any]) -> list[str]:
    """Every way `data` breaks the snapshot schema, as readable lines (empty when valid)."""
    validator = Draft202012Validator(snapshot_schema())
    return [
        f"{'/'.join(str(p) for p in error.absolute_path) or '(root)'}: {error.message}"
        for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.path)))
    ]
