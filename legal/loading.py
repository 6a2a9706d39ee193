"""Load the library's seed (`fixtures/laws/*.yaml`, shape in its README): idempotent.

Versions are given oldest first. A version missing from the database is created;
when it is newer than the version in force, that one becomes "amended" (or
"repealed") and points at it. Seed data raise no change flags: flags are for
amendments entered while standards cite the law (`legal.services.amendments`).
"""

from __future__ import annotations

import datetime
from pathlib import Path
from typing import Any

import yaml
from django.core.exceptions import ValidationError
from django.db import transaction

from standards.loading.upsert import FixtureError, LoadReport, upsert
from standards.registry import REGISTRY

from .models import Article, Law, LawVersion
from .normalise import article_label, article_numbers, law_key

LAW_KEYS = {"name", "level", "issuing_authority", "versions"}
VERSION_KEYS = {
    "document_number",
    "issuing_authority",
    "promulgated_on",
    "effective_on",
    "note",
    "repealed",
    "articles",
}
ARTICLE_KEYS = {"number", "text", "excerpt"}


@transaction.atomic
def load_laws(directory: Path) -> LoadReport:
    report = LoadReport()
    for path in sorted(directory.glob("*.yaml")):
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        except yaml.YAMLError as error:
            raise FixtureError(f"{path.name}: not valid YAML: {error}") from error
        if not isinstance(data, dict) or not isinstance(data.get("laws"), list):
            raise FixtureError(f"{path.name}: expected a mapping with a list under 'laws'")
        for index, entry in enumerate(data["laws"], start=1):
            where = f"{path.name}, law {index}"
            try:
                _load_law(entry, where, report)
            except ValidationError as error:
                raise FixtureError(f"{where}: {'; '.join(error.messages)}") from error
    return report


def _load_law(entry: Any, where: str, report: LoadReport) -> None:
    _check_keys(entry, LAW_KEYS, {"name", "level", "issuing_authority", "versions"}, where)
    name = str(entry["name"]).strip().strip("《》")
    level = str(entry["level"])
    if level not in REGISTRY.codelist("law_level"):
        raise FixtureError(f"{where}: level {level!r} is not in code list law_level")
    law = upsert(
        Law,
        {"key": law_key(name)},
        {"name": name, "level": level, "issuing_authority": str(entry["issuing_authority"])},
        report,
    )
    versions = entry["versions"]
    if not isinstance(versions, list) or not versions:
        raise FixtureError(f"{where}: 'versions' must be a non-empty list")
    previous_date: datetime.date | None = None
    for number, version in enumerate(versions, start=1):
        here = f"{where} ({name}), version {number}"
        _check_keys(
            version, VERSION_KEYS, {"document_number", "issuing_authority", "promulgated_on"}, here
        )
        promulgated = _date(version["promulgated_on"], "promulgated_on", here)
        if previous_date is not None and promulgated <= previous_date:
            raise FixtureError(f"{here}: versions must be listed oldest first")
        previous_date = promulgated
        _load_version(law, version, promulgated, here, report)


def _load_version(
    law: Law, entry: dict[str, Any], promulgated: datetime.date, where: str, report: LoadReport
) -> None:
    repealed = bool(entry.get("repealed", False))
    values = {
        "document_number": str(entry["document_number"]),
        "issuing_authority": str(entry["issuing_authority"]),
        "effective_on": _date(entry.get("effective_on"), "effective_on", where, optional=True),
        "note": str(entry.get("note") or ""),
    }
    version = LawVersion.objects.filter(law=law, promulgated_on=promulgated).first()
    if version is None:
        current = LawVersion.objects.in_force().filter(law=law).first()
        if current is not None and current.promulgated_on > promulgated:
            # An older text loaded after a newer one: it was replaced long ago.
            raise FixtureError(f"{where}: older than the version in force; list it first")
        status = LawVersion.Status.REPEALED if repealed else LawVersion.Status.IN_FORCE
        if current is not None:
            current.status = LawVersion.Status.REPEALED if repealed else LawVersion.Status.AMENDED
            current.save(update_fields=["status"])
        version = LawVersion(law=law, promulgated_on=promulgated, status=status, **values)
        version.full_clean()
        version.save()
        report.add(LawVersion, "created")
        if current is not None:
            current.superseded_by = version
            current.save(update_fields=["superseded_by"])
    else:
        version = upsert(LawVersion, {"pk": version.pk}, values, report)
    articles = entry.get("articles") or []
    if not isinstance(articles, list):
        raise FixtureError(f"{where}: 'articles' must be a list")
    if articles and repealed:
        raise FixtureError(f"{where}: a repeal has no articles")
    seen: set[int] = set()
    for index, article in enumerate(articles, start=1):
        here = f"{where}, article {index}"
        _check_keys(article, ARTICLE_KEYS, {"number", "text"}, here)
        numbers = article_numbers(str(article["number"]))
        if len(numbers) != 1:
            raise FixtureError(f"{here}: {article['number']!r} is not one article number")
        if numbers[0] in seen:
            raise FixtureError(f"{here}: {article['number']} is listed twice")
        seen.add(numbers[0])
        upsert(
            Article,
            {"law_version": version, "ordinal": numbers[0]},
            {"number": article_label(numbers[0]), "text": str(article["text"]).strip()},
            report,
        )


def _check_keys(entry: Any, allowed: set[str], required: set[str], where: str) -> None:
    if not isinstance(entry, dict):
        raise FixtureError(f"{where}: expected a mapping")
    unknown = sorted(set(entry) - allowed)
    if unknown:
        raise FixtureError(f"{where}: unknown key(s) {', '.join(unknown)}")
    missing = sorted(k for k in required if entry.get(k) in (None, ""))
    if missing:
        raise FixtureError(f"{where}: missing {', '.join(missing)}")


def _date(value: Any, name: str, where: str, *, optional: bool = False) -> Any:
    if value is None and optional:
        return None
    if isinstance(value, datetime.date):
        return value
    try:
        return datetime.date.fromisoformat(str(value))
    except ValueError:
        raise FixtureError(f"{where}: {name} {value!r} is not a date (YYYY-MM-DD)") from None
