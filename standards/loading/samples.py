"""Sample standards written in YAML against the registry (`fixtures/samples/`).

The file format is described in `fixtures/samples/README.md`. Rows get a uid
derived from the file's row key, so reloading a file updates the same rows;
a version that has left the draft state is never touched.
"""

from __future__ import annotations

import datetime
import uuid
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import models, transaction

from standards.models import ApprovalItem, Department, Region, Standard, StandardVersion
from standards.registry import REGISTRY, Field, FieldType, Group
from standards.services.drafting import refresh_progress

from .sample_files import ensure_sample_files
from .upsert import FixtureError, LoadReport, upsert

ROW_NAMESPACE = uuid.UUID("6f1c1d2e-9a55-4c7e-8f0b-6c8d6a3e2b10")
SAMPLE_FILES_PREFIX = "samples"


def load_samples(samples_dir: Path) -> LoadReport:
    report = LoadReport()
    ensure_sample_files(samples_dir)
    for path in sorted(samples_dir.glob("*.yaml")):
        report.merge(load_sample(path))
    return report


def load_sample(path: Path) -> LoadReport:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as error:
        raise FixtureError(f"{path.name}: not valid YAML: {error}") from error
    if not isinstance(data, dict) or not {"standard", "content"} <= set(data):
        raise FixtureError(f"{path.name}: needs the keys 'standard' and 'content'")
    # The blank forms and samples are rendered from the YAML on first use (a
    # fresh checkout has none): a single sample must not depend on another load.
    ensure_sample_files(path.parent, only=path)
    report = LoadReport()
    with transaction.atomic():
        _SampleLoader(path, data, report).load()
    return report


class _SampleLoader:
    def __init__(self, path: Path, data: dict[str, Any], report: LoadReport) -> None:
        self.path = path
        self.data = data
        self.report = report
        self.files_dir = path.parent / "files"

    def fail(self, where: str, message: str) -> FixtureError:
        return FixtureError(f"{self.path.name}: {where}: {message}")

    def load(self) -> None:
        meta = self.data["standard"]
        item = self._find(ApprovalItem, "basic_code", meta.get("item"), "standard.item")
        department = self._find(Department, "code", meta.get("department"), "standard.department")
        region = self._find(Region, "code", meta.get("region"), "standard.region")
        standard = upsert(
            Standard, {"item": item, "department": department, "region": region}, {}, self.report
        )
        number = meta.get("version", 1)
        version = standard.versions.filter(number=number).first()
        if version is not None and version.state != StandardVersion.State.DRAFT:
            self.report.add(StandardVersion, "unchanged (no longer a draft)")
            return
        version = upsert(
            StandardVersion,
            {"standard": standard, "number": number},
            {"change_note": meta.get("change_note", "")},
            self.report,
        )
        self.namespace = f"{item.basic_code}/{department.code}/{region.code}"
        content = self.data["content"]
        unknown = set(content) - set(REGISTRY.groups)
        if unknown:
            raise self.fail("content", f"unknown group(s) {', '.join(sorted(unknown))}")
        self.uids = self._row_uids(content)
        instances: dict[tuple[str, str | None], models.Model] = {}
        for name, group in REGISTRY.groups.items():
            instances.update(self._load_group(version, group, content.get(name)))
        for (group_name, key), instance in instances.items():
            self._set_refs(instance, REGISTRY.group(group_name), content, key)
        if self.report.changed:
            refresh_progress(version)

    # Rows ---------------------------------------------------------------

    def _row_uids(self, content: dict[str, Any]) -> dict[tuple[str, str], uuid.UUID]:
        uids: dict[tuple[str, str], uuid.UUID] = {}
        for name, group in REGISTRY.groups.items():
            if not group.repeats:
                continue
            rows = content.get(name) or []
            if not isinstance(rows, list):
                raise self.fail(f"content.{name}", "a repeating group is a list of rows")
            for index, row in enumerate(rows):
                key = row.get("key") if isinstance(row, dict) else None
                if not key:
                    raise self.fail(f"content.{name}[{index}]", "every row needs a 'key'")
                if any(key == seen for _group, seen in uids):
                    raise self.fail(f"content.{name}[{index}]", f"row key {key!r} is repeated")
                uids[(name, key)] = uuid.uuid5(ROW_NAMESPACE, f"{self.namespace}/{name}/{key}")
        return uids

    def _load_group(
        self, version: StandardVersion, group: Group, raw: Any
    ) -> dict[tuple[str, str | None], models.Model]:
        model = group.model
        if not group.repeats:
            if raw is not None and not isinstance(raw, dict):
                raise self.fail(f"content.{group.name}", "a single group is a mapping")
            values = self._values(group, raw or {}, f"content.{group.name}")
            instance = self._upsert(model, {"version": version}, values, f"content.{group.name}")
            return {(group.name, None): instance}
        loaded: dict[tuple[str, str | None], models.Model] = {}
        for index, row in enumerate(raw or []):
            where = f"content.{group.name}[{index}] ({row['key']})"
            fields = {k: v for k, v in row.items() if k != "key"}
            values = {**self._values(group, fields, where), "position": index}
            uid = self.uids[(group.name, row["key"])]
            loaded[(group.name, row["key"])] = self._upsert(
                model, {"version": version, "uid": uid}, values, where
            )
        keep = [instance.pk for instance in loaded.values()]
        stale = model._default_manager.filter(version=version).exclude(pk__in=keep)
        for instance in stale:
            instance.delete()
            self.report.add(model, "deleted")
        return loaded

    def _upsert(
        self, model: Any, lookup: dict[str, Any], values: dict[str, Any], where: str
    ) -> Any:
        try:
            return upsert(model, lookup, values, self.report)
        except ValidationError as error:
            details = "; ".join(f"{k}: {' '.join(v)}" for k, v in error.message_dict.items())
            raise self.fail(where, details) from error

    # Values -------------------------------------------------------------

    def _values(self, group: Group, raw: dict[str, Any], where: str) -> dict[str, Any]:
        names = {f.name: f for f in group.fields}
        unknown = set(raw) - set(names)
        if unknown:
            raise self.fail(where, f"unknown field(s) {', '.join(sorted(unknown))}")
        return {
            f.attribute: self._value(f, raw.get(f.name), f"{where}.{f.name}")
            for f in group.fields
            if f.type is not FieldType.REF
        }

    def _value(self, field: Field, value: Any, where: str) -> Any:
        match field.type:
            case FieldType.CHOICE:
                if value is None:
                    return ""
                if str(value) not in REGISTRY.codelist(field.codelist):
                    raise self.fail(where, f"{value!r} is not in code list {field.codelist}")
                return str(value)
            case FieldType.MULTICHOICE:
                codes = [str(v) for v in value or []]
                wrong = [c for c in codes if c not in REGISTRY.codelist(field.codelist)]
                if wrong:
                    raise self.fail(where, f"{wrong} not in code list {field.codelist}")
                return codes
            case FieldType.BOOLEAN:
                if value not in (None, True, False):
                    raise self.fail(where, f"{value!r} is not true or false")
                return value
            case FieldType.INTEGER | FieldType.DURATION:
                if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                    raise self.fail(where, f"{value!r} is not a whole number")
                return value
            case FieldType.DATE:
                return self._date(value, where)
            case FieldType.FILE:
                return self._stored_file(value, where) if value else ""
        if value is None:
            return ""
        if not isinstance(value, str):
            raise self.fail(where, f"{value!r} is not text")
        return value.strip()

    def _date(self, value: Any, where: str) -> datetime.date | None:
        if value is None or isinstance(value, datetime.date):
            return value
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError as error:
            raise self.fail(where, f"{value!r} is not a date (YYYY-MM-DD)") from error

    def _stored_file(self, relative: Any, where: str) -> str:
        source = (self.files_dir / str(relative)).resolve()
        if not source.is_relative_to(self.files_dir.resolve()) or not source.is_file():
            raise self.fail(where, f"no file {relative!r} under {self.files_dir}")
        name = f"{SAMPLE_FILES_PREFIX}/{relative}"
        content = source.read_bytes()
        if default_storage.exists(name):
            with default_storage.open(name, "rb") as stored:
                if stored.read() == content:
                    return name
            default_storage.delete(name)
        return default_storage.save(name, ContentFile(content))

    # References ---------------------------------------------------------

    def _set_refs(
        self, instance: models.Model, group: Group, content: dict[str, Any], key: str | None
    ) -> None:
        raw: dict[str, Any] = content.get(group.name) or {}
        if group.repeats:
            raw = next(row for row in content[group.name] if row["key"] == key)
        for field in group.fields:
            if field.type is not FieldType.REF:
                continue
            where = f"content.{group.name}{f'({key})' if key else ''}.{field.name}"
            keys = raw.get(field.name) or []
            if not isinstance(keys, list):
                raise self.fail(where, "a reference is a list of row keys")
            wanted = []
            for target_key in keys:
                uid = self.uids.get((field.ref_group, target_key))
                if uid is None:
                    raise self.fail(where, f"no {field.ref_group} row with key {target_key!r}")
                wanted.append(uid)
            manager = getattr(instance, field.attribute)
            current = set(manager.values_list("uid", flat=True))
            if current != set(wanted):
                target = REGISTRY.group(field.ref_group).model
                version = instance.version  # type: ignore[attr-defined]
                manager.set(target._default_manager.filter(version=version, uid__in=wanted))
                self.report.add(type(instance), "references set")

    def _find(self, model: Any, key: str, value: Any, where: str) -> Any:
        found = model._default_manager.filter(**{key: value}).first() if value else None
        if found is None:
            raise self.fail(where, f"unknown {model._meta.model_name} {value!r}")
        return found
