"""Entity tags and conditional requests (If-None-Match → 304, If-Match → 412).

A tag is the SHA-256 of the response data as canonical JSON, so it changes
exactly when what the caller would read changes, in every language.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any


def etag_for(data: Any) -> str:
    body = json.dumps(data, ensure_ascii=False, sort_keys=True, separators=(",", ":"), default=str)
    return f'"{hashlib.sha256(body.encode()).hexdigest()[:32]}"'


def _tags(header: str) -> list[str]:
    return [t.strip().removeprefix("W/") for t in header.split(",") if t.strip()]


def matches(header: str | None, tag: str) -> bool:
    """Whether an If-None-Match / If-Match header names `tag` (or is `*`)."""
    if not header:
        return False
    tags = _tags(header)
    return "*" in tags or tag.removeprefix("W/") in tags
