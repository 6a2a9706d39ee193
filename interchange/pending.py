"""Workbooks between the dry run and the confirmed import.

The dry run stores the checked file under a generated name in private storage
(MEDIA_ROOT is not served) and gives the browser a signed token naming it,
the user, the item and the file's hash. Confirming re-reads that file, checks
the token, and runs the whole import again, checks included: the draft may
have changed in between. The file is deleted after the import, and tokens
expire after `MAX_AGE` seconds.
"""

from __future__ import annotations

import hashlib
import uuid
from typing import Any

from django.core import signing
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

SALT = "interchange.import.pending"
MAX_AGE = 60 * 60
FOLDER = "interchange/pending"


def store(data: bytes, *, user_pk: int, item_code: str) -> str:
    """Keep `data` and return the token that lets the same user import it into the same item."""
    name = default_storage.save(f"{FOLDER}/{uuid.uuid4().hex}.xlsx", ContentFile(data))
    payload = {
        "name": name,
        "user": user_pk,
        "item": item_code,
        "sha256": hashlib.sha256(data).hexdigest(),
    }
    return signing.dumps(payload, salt=SALT, compress=True)


def load(token: str, *, user_pk: int, item_code: str) -> tuple[str, bytes] | None:
    """(storage name, bytes) of the stored workbook, or None if the token is not valid for them."""
    try:
        payload: dict[str, Any] = signing.loads(token, salt=SALT, max_age=MAX_AGE)
    except signing.BadSignature:
        return None
    name = str(payload.get("name", ""))
    if (
        payload.get("user") != user_pk
        or payload.get("item") != item_code
        or not name.startswith(f"{FOLDER}/")
        or not default_storage.exists(name)
    ):
        return None
    with default_storage.open(name, "rb") as handle:
        data = handle.read()
    if hashlib.sha256(data).hexdigest() != payload.get("sha256"):
        return None
    return name, data


def discard(name: str) -> None:
    if name.startswith(f"{FOLDER}/"):
        default_storage.delete(name)
