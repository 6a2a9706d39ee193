"""The sample standards as snapshot dicts, built straight from their YAML.

The rules read snapshots only, so the tests build them without the database:
the same values `standards.snapshot.snapshot()` produces after
`load_samples()` (row ids are the loader's uuid5 of the row key; references
follow the target rows' order; multichoice values follow the code list order).
`test_samples_match_the_database.py` checks this against the real thing.
"""

from __future__ import annotations

import copy
import csv
import datetime
import uuid
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from django.conf import settings

from standards.loading.samples import ROW_NAMESPACE, SAMPLE_FILES_PREFIX
from standards.registry import REGISTRY, Field, FieldType
from standards.snapshot import SCHEMA_VERSION

FIXTURES = Path(settings.BASE_DIR) / "fixtures"
SAMPLES = FIXTURES / "samples"
SAMPLE_NAMES = sorted(path.stem for path in SAMPLES.glob("*.yaml"))


@cache
def _catalogue_items() -> dict[str, dict[str, str]]:
    with (FIXTURES / "catalogue" / "items.csv").open(encoding="utf-8", newline="") as handle:
        return {row["basic_code"]: row for row in csv.DictReader(handle)}


@cache
def _sample(name: str) -> dict[str, Any]:
    data = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))
    meta, content = data["standard"], data["content"]
    row_ids = {
        (group, row["key"]): row_id(name, group, row["key"])
        for group, rows in content.items()
        if REGISTRY.group(group).repeats
        for row in rows
    }
    item = _catalogue_items()[meta["item"]]
    built: dict[str, Any] = {}
    for name_, group in REGISTRY.groups.items():
        raw = content.get(name_)
        if group.repeats:
            built[name_] = [
                {"row_id": row_ids[(name_, row["key"])], **_values(group.fields, row, row_ids)}
                for row in raw or []
            ]
        else:
            built[name_] = _values(group.fields, raw or {}, row_ids)
    return {
        "schema_version": SCHEMA_VERSION,
        "standard": {
            "item": {
                "basic_code": item["basic_code"],
                "name": item["name"],
                "common_name": item["common_name"] or None,
                "item_type": item["item_type"],
                "levels": item["levels"],
            },
            "department": {"code": meta["department"], "name": None},
            "region": {"code": meta["region"], "name": None, "level": None},
            "version": {
                "number": meta.get("version", 1),
                "effective_from": None,
                "effective_to": None,
                "change_note": meta.get("change_note") or None,
            },
        },
        "content": built,
    }


def _values(
    fields: tuple[Field, ...], raw: dict[str, Any], row_ids: dict[tuple[str, str], str]
) -> dict[str, Any]:
    return {f.code: _value(f, raw.get(f.name), row_ids) for f in fields}


def _value(field: Field, value: Any, row_ids: dict[tuple[str, str], str]) -> Any:
    match field.type:
        case FieldType.REF:
            wanted = {row_ids[(field.ref_group, key)] for key in value or []}
            # The snapshot lists references in the target group's row order.
            order = [i for (group, _key), i in row_ids.items() if group == field.ref_group]
            return [i for i in order if i in wanted]
        case FieldType.MULTICHOICE:
            known = REGISTRY.codelist(field.codelist).values
            return sorted((str(v) for v in value or []), key=known.index)
        case FieldType.CHOICE:
            return str(value) if value is not None else None
        case FieldType.BOOLEAN | FieldType.INTEGER | FieldType.DURATION:
            return value
        case FieldType.DATE:
            if isinstance(value, datetime.date):
                return value.isoformat()
            return str(value) if value else None
        case FieldType.FILE:
            return f"{SAMPLE_FILES_PREFIX}/{value}" if value else None
    return value.strip() or None if isinstance(value, str) else None


def sample(name: str) -> dict[str, Any]:
    """A fresh deep copy of one sample's snapshot, safe to mutate."""
    return copy.deepcopy(_sample(name))


@cache
def _namespace(name: str) -> str:
    meta = yaml.safe_load((SAMPLES / f"{name}.yaml").read_text(encoding="utf-8"))["standard"]
    return f"{meta['item']}/{meta['department']}/{meta['region']}"


def row_id(name: str, group: str, key: str) -> str:
    """The row id the loader gives the row `key` of `group` in sample `name`."""
    return str(uuid.uuid5(ROW_NAMESPACE, f"{_namespace(name)}/{group}/{key}"))


def empty_snapshot(item_type: str = "01") -> dict[str, Any]:
    """A new draft: every group present and empty, as `snapshot()` gives for a blank version."""
    content: dict[str, Any] = {}
    for name, group in REGISTRY.groups.items():
        if group.repeats:
            content[name] = []
        else:
            content[name] = {
                f.code: [] if f.type in (FieldType.REF, FieldType.MULTICHOICE) else None
                for f in group.fields
            }
    return {
        "schema_version": SCHEMA_VERSION,
        "standard": {"item": {"item_type": item_type}},
        "content": content,
    }
