"""The JSON events sent to subscribers.

Events carry only public data of the published snapshot (the `standard` part:
codes, names, version number and change note) and links, never content fields.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from standards.models import PublishedSnapshot

PUBLISHED = "standard.published"
TEST = "webhook.test"
API_VERSION_PATH = "/api/v1/standards/{basic_code}/{department_code}/versions/{number}/"


def absolute(path: str) -> str:
    return settings.PUBLIC_BASE_URL.rstrip("/") + path


def guide_url(basic_code: str, department_code: str) -> str:
    return absolute(reverse("guides:guide", args=[basic_code, department_code]))


def api_url(basic_code: str, department_code: str, number: int) -> str:
    """The published version in the read API (named route when the API defines it)."""
    kwargs = {"basic_code": basic_code, "department_code": department_code, "number": number}
    try:
        return absolute(reverse("api:published-version", kwargs=kwargs))
    except NoReverseMatch:
        return absolute(API_VERSION_PATH.format(**kwargs))


def publication_event(snapshot: PublishedSnapshot, event_id: uuid.UUID) -> dict[str, Any]:
    meta = snapshot.data["standard"]
    item, department, version = meta["item"], meta["department"], meta["version"]
    return {
        "id": str(event_id),
        "type": PUBLISHED,
        "created_at": timezone.now().isoformat(),
        "data": {
            "standard": {"id": snapshot.version.standard_id},
            "item": {"basic_code": item["basic_code"], "name": item["name"]},
            "department": {"code": department["code"], "name": department["name"]},
            "region": {"code": meta["region"]["code"], "name": meta["region"]["name"]},
            "version": {
                "number": version["number"],
                "effective_from": version["effective_from"],
                "change_note": version["change_note"],
            },
            "published_at": snapshot.published_at.isoformat(),
            "snapshot_sha256": snapshot.sha256,
            "links": {
                "guide": guide_url(item["basic_code"], department["code"]),
                "api": api_url(item["basic_code"], department["code"], version["number"]),
            },
        },
    }


def test_event(event_id: uuid.UUID) -> dict[str, Any]:
    return {
        "id": str(event_id),
        "type": TEST,
        "created_at": timezone.now().isoformat(),
        "data": {"message": "This is a test event from the approval-standards system."},
    }


def encode(event: dict[str, Any]) -> str:
    """The body text: compact UTF-8 JSON, keys sorted, Chinese kept readable."""
    return json.dumps(event, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
