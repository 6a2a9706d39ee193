"""Code lists, regions, departments and the item catalogue."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction

from standards.models import ApprovalItem, CodeListEntry, Department, Region
from standards.registry import REGISTRY

from .upsert import FixtureError, LoadReport, upsert

LEVEL_ORDER = {"province": 0, "city": 1, "county": 2}


def read_csv(path: Path, columns: list[str]) -> list[tuple[int, dict[str, str]]]:
    """Rows with their line numbers; a missing column is a clear error."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        absent = [c for c in columns if c not in (reader.fieldnames or [])]
        if absent:
            raise FixtureError(f"{path.name}: missing column(s) {', '.join(absent)}")
        return [
            (number, {k: (v or "").strip() for k, v in row.items()})
            for number, row in enumerate(reader, start=2)
        ]


def load_codelists(report: LoadReport) -> None:
    for codelist in REGISTRY.codelists.values():
        for position, code in enumerate(codelist.codes):
            upsert(
                CodeListEntry,
                {"codelist": codelist.name, "code": code.code},
                {
                    "label_zh": code.label_zh,
                    "label_en": code.label_en,
                    "source": code.source,
                    "position": position,
                },
                report,
            )


def load_regions(path: Path, report: LoadReport) -> None:
    rows = read_csv(path, ["code", "name_zh", "name_en", "level", "parent_code"])
    for line, row in sorted(rows, key=lambda r: (LEVEL_ORDER.get(r[1]["level"], 9), r[1]["code"])):
        with _located(path, line):
            upsert(
                Region,
                {"code": row["code"]},
                {
                    "name": row["name_zh"],
                    "name_en": row["name_en"],
                    "level": row["level"],
                    "parent": _get(Region, "code", row["parent_code"]),
                },
                report,
            )


def load_departments(path: Path, report: LoadReport) -> None:
    rows = read_csv(
        path, ["code", "number", "name_zh", "name_en", "short_name_zh", "region_code", "kind"]
    )
    for line, row in rows:
        with _located(path, line):
            upsert(
                Department,
                {"code": row["code"]},
                {
                    "number": row["number"],
                    "name": row["name_zh"],
                    "name_en": row["name_en"],
                    "short_name": row["short_name_zh"],
                    "region": _get(Region, "code", row["region_code"], required=True),
                    "kind": row["kind"],
                },
                report,
            )


def load_items(path: Path, report: LoadReport) -> None:
    columns = [
        "basic_code",
        "name",
        "common_name",
        "item_type",
        "parent_code",
        "levels",
        "department_code",
    ]
    rows = read_csv(path, columns)
    # Main items first, so that every sub-item finds its parent.
    for line, row in sorted(rows, key=lambda r: bool(r[1]["parent_code"])):
        with _located(path, line):
            upsert(
                ApprovalItem,
                {"basic_code": row["basic_code"]},
                {
                    "name": row["name"],
                    "common_name": row["common_name"],
                    "item_type": row["item_type"],
                    "levels": row["levels"],
                    "parent": _get(ApprovalItem, "basic_code", row["parent_code"]),
                    "department": _get(Department, "code", row["department_code"], required=True),
                },
                report,
            )


def load_reference_data(fixtures_dir: Path) -> LoadReport:
    report = LoadReport()
    catalogue = fixtures_dir / "catalogue"
    with transaction.atomic():
        load_codelists(report)
        load_regions(catalogue / "regions.csv", report)
        load_departments(catalogue / "departments.csv", report)
        load_items(catalogue / "items.csv", report)
    return report


def _get(model: Any, key: str, value: str, *, required: bool = False) -> Any:
    if not value:
        if required:
            raise FixtureError(f"{key} is empty")
        return None
    found = model._default_manager.filter(**{key: value}).first()
    if found is None:
        raise FixtureError(f"unknown {model._meta.model_name} {key} {value!r}")
    return found


class _located:
    """Prefix errors raised while loading one row with its file and line."""

    def __init__(self, path: Path, line: int) -> None:
        self.where = f"{path.name} line {line}"

    def __enter__(self) -> None:
        return None

    def __exit__(self, kind: Any, error: BaseException | None, traceback: Any) -> None:
        if isinstance(error, FixtureError | ValidationError):
            detail = "; ".join(error.messages) if isinstance(error, ValidationError) else str(error)
            raise FixtureError(f"{self.where}: {detail}") from error
