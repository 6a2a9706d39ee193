"""Create-or-update by natural key, saving only what differs."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from django.db import models


class FixtureError(ValueError):
    """A fixture file is wrong; the message names the file, the line and the value."""


@dataclass
class LoadReport:
    counts: Counter[str] = field(default_factory=Counter)

    def add(self, model: type[models.Model], outcome: str) -> None:
        self.counts[f"{model._meta.model_name} {outcome}"] += 1

    def merge(self, other: LoadReport) -> None:
        self.counts.update(other.counts)

    @property
    def changed(self) -> int:
        return sum(n for key, n in self.counts.items() if " unchanged" not in key)

    def lines(self) -> list[str]:
        return [f"{key}: {n}" for key, n in sorted(self.counts.items())]


def upsert(
    model: type[models.Model],
    lookup: dict[str, Any],
    values: dict[str, Any],
    report: LoadReport,
) -> Any:
    instance = model._default_manager.filter(**lookup).first()
    if instance is None:
        instance = model(**lookup, **values)
        instance.full_clean()
        instance.save()
        report.add(model, "created")
        return instance
    changed = [name for name, value in values.items() if _current(instance, name) != _plain(value)]
    if changed:
        for name in changed:
            setattr(instance, name, values[name])
        instance.full_clean()
        instance.save(update_fields=changed)
        report.add(model, "updated")
    else:
        report.add(model, "unchanged")
    return instance


def _plain(value: Any) -> Any:
    return value.pk if isinstance(value, models.Model) else value


def _current(instance: models.Model, name: str) -> Any:
    field = instance._meta.get_field(name)
    if isinstance(field, models.ForeignKey):
        return getattr(instance, field.attname)
    value = getattr(instance, name)
    if isinstance(field, models.FileField):
        return value.name or ""
    return value
