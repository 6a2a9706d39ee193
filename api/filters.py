"""Query-string filters of the list endpoints, each value checked before use.

A value that cannot be understood is a 400 naming the parameter, never an
empty list that looks like "nothing matches".
"""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from typing import Any

from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter
from rest_framework.exceptions import ValidationError
from rest_framework.request import Request

from standards.models import Region
from standards.registry import REGISTRY

MAX_LENGTH = 64


def text(request: Request, name: str) -> str | None:
    value = request.query_params.get(name)
    if value is None or value == "":
        return None
    if len(value) > MAX_LENGTH or "\x00" in value:
        raise ValidationError({name: [_("This value is too long.")]})
    return value


def one_of(request: Request, name: str, allowed: Iterable[str]) -> str | None:
    value = text(request, name)
    if value is not None and value not in set(allowed):
        raise ValidationError({name: [_("Unknown value “%(value)s”.") % {"value": value}]})
    return value


def level(request: Request) -> str | None:
    return one_of(request, "level", Region.Level.values)


def item_type(request: Request) -> str | None:
    return one_of(request, "type", REGISTRY.codelist("item_type").values)


def moment(request: Request, name: str) -> datetime.datetime | None:
    """An ISO date or date-time; a date means its start in the site's time zone."""
    value = text(request, name)
    if value is None:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value)
            if day is not None:
                parsed = datetime.datetime.combine(day, datetime.time.min)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({name: [_("Enter a date such as 2026-01-31.")]})
    try:
        if timezone.is_naive(parsed):
            parsed = timezone.make_aware(parsed)
        # In UTC: PostgreSQL refuses offsets beyond ±15:59 that Python accepts.
        return parsed.astimezone(datetime.UTC)
    except (OverflowError, ValueError):
        raise ValidationError({name: [_("Enter a date such as 2026-01-31.")]}) from None


def day(request: Request, name: str) -> datetime.date | None:
    value = text(request, name)
    if value is None:
        return None
    try:
        parsed = parse_date(value)
    except ValueError:
        parsed = None
    if parsed is None:
        raise ValidationError({name: [_("Enter a date such as 2026-01-31.")]})
    return parsed


def parameter(name: str, description: str, **kwargs: Any) -> OpenApiParameter:
    return OpenApiParameter(
        name, OpenApiTypes.STR, OpenApiParameter.QUERY, description=description, **kwargs
    )


LANG = parameter("lang", "Response language: zh-hans (default) or en.", enum=["zh-hans", "en"])
LEVEL = parameter("level", "Region level.", enum=Region.Level.values)
TYPE = parameter(
    "type", "Item type (code list item_type).", enum=REGISTRY.codelist("item_type").values
)
DEPARTMENT = parameter("department", "Department code, e.g. 440000-zjt.")
REGION = parameter("region", "Region division code, e.g. 440605.")
UPDATED_SINCE = OpenApiParameter(
    "updated_since",
    OpenApiTypes.DATETIME,
    OpenApiParameter.QUERY,
    description="Only what was published at or after this date or date-time (ISO 8601).",
)
