"""Copying a version's content into a new version, rows and references included."""

from __future__ import annotations

from typing import Any

from django.db import models

from standards.models import StandardVersion
from standards.registry import REGISTRY, FieldType

_SKIP = {"id", "version"}


def copy_content(*, source: StandardVersion, target: StandardVersion) -> None:
    """Copy every group; rows keep their `uid` so diffs and comments follow them.

    Cost is a fixed number of queries per group (bulk inserts) plus one bulk
    insert per reference table, whatever the number of rows.
    """
    copies: dict[str, dict[int, Any]] = {}
    for name, group in REGISTRY.groups.items():
        model = group.model
        originals = list(model._default_manager.filter(version=source))
        fresh = []
        for original in originals:
            values = {
                f.attname: getattr(original, f.attname)
                for f in model._meta.concrete_fields
                if f.name not in _SKIP
            }
            fresh.append(model(version=target, **values))
        created = model._default_manager.bulk_create(fresh)
        if not group.repeats and created:
            # bulk_create does not return primary keys on every database for
            # one-to-one rows; read them back (one row per version).
            created = list(model._default_manager.filter(version=target))
        copies[name] = {o.pk: c for o, c in zip(originals, created, strict=True)}
    for name, group in REGISTRY.groups.items():
        for field in group.fields:
            if field.type is FieldType.REF:
                _copy_references(
                    group.model, field.attribute, copies[name], copies[field.ref_group]
                )


def _copy_references(
    model: type[models.Model], attribute: str, sources: dict[int, Any], targets: dict[int, Any]
) -> None:
    relation = model._meta.get_field(attribute)
    through = relation.remote_field.through  # type: ignore[union-attr]
    source_column = f"{relation.m2m_field_name()}_id"  # type: ignore[union-attr]
    target_column = f"{relation.m2m_reverse_field_name()}_id"  # type: ignore[union-attr]
    links = through._default_manager.filter(**{f"{source_column}__in": list(sources)})
    through._default_manager.bulk_create(
        through(
            **{
                source_column: sources[getattr(link, source_column)].pk,
                target_column: targets[getattr(link, target_column)].pk,
            }
        )
        for link in links
    )
