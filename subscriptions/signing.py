"""The signature scheme receivers use to check that an event came from us.

    signed   = timestamp + "." + body           (bytes; the body exactly as received)
    expected = hex(HMAC-SHA256(secret, signed))
    header   X-Standards-Signature: v1=<expected>
    header   X-Standards-Timestamp: <Unix seconds>

A receiver recomputes `expected` with its secret, compares it in constant
time, and refuses a timestamp more than five minutes from its clock (a replayed
old request then fails even with a valid signature). Events also carry an id
(X-Standards-Event-Id, and "id" in the body) to drop duplicates.
"""

from __future__ import annotations

import hashlib
import hmac

SIGNATURE_HEADER = "X-Standards-Signature"
TIMESTAMP_HEADER = "X-Standards-Timestamp"
SCHEME = "v1"
TOLERANCE_SECONDS = 300


def signature(secret: str, timestamp: int, body: bytes) -> str:
    """The header value for a body sent at `timestamp`."""
    signed = str(timestamp).encode() + b"." + body
    digest = hmac.new(secret.encode(), signed, hashlib.sha256).hexdigest()
    return f"{SCHEME}={digest}"


def verify(secret: str, header: str, timestamp: str, body: bytes, *, now: float) -> bool:
    """What a receiver does (also used by our tests to check the scheme as documented)."""
    try:
        sent_at = int(timestamp)
    except ValueError:
        return False
    if abs(now - sent_at) > TOLERANCE_SECONDS:
        return False
    return hmac.compare_digest(signature(secret, sent_at, body), header)
