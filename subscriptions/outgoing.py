"""One signed POST to a receiver, with the protections outgoing requests need.

- The target is checked (`targets.check_url`) right before the request, and the
  connection goes to the address that was checked (no DNS rebinding).
- Timeouts on connecting and on every read; at most `MAX_RESPONSE_BYTES` read.
- Redirects are never followed: http.client does not follow them, and a 3xx
  answer counts as a failed attempt, so a receiver cannot bounce the request to
  another host.
- No proxy from the environment is used.
"""

from __future__ import annotations

import http.client
import socket
import ssl
import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings

from .signing import SIGNATURE_HEADER, TIMESTAMP_HEADER, signature
from .targets import Target, TargetRefused, parse_target, vetted_addresses

MAX_RESPONSE_BYTES = 64 * 1024
EXCERPT_CHARS = 500
USER_AGENT = "approval-standards-webhooks/1"


@dataclass(frozen=True)
class Outcome:
    status_code: int | None
    duration_ms: int
    error: str = ""
    response_excerpt: str = ""
    # A refused target will not become acceptable by retrying.
    permanent: bool = False

    @property
    def succeeded(self) -> bool:
        return self.status_code is not None and 200 <= self.status_code < 300


def timeout_seconds() -> float:
    return float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10))


def post_signed(
    url: str, secret: str, body: bytes, headers: dict[str, str], *, now: float | None = None
) -> Outcome:
    """POST `body` to `url`, signed with `secret`; never raises for network trouble."""
    started = time.monotonic()
    try:
        target = parse_target(url)
        address = str(vetted_addresses(target)[0])
    except TargetRefused as refusal:
        return Outcome(None, _elapsed(started), error=str(refusal), permanent=True)
    timestamp = int(now if now is not None else time.time())
    all_headers = {
        "Content-Type": "application/json; charset=utf-8",
        "User-Agent": USER_AGENT,
        TIMESTAMP_HEADER: str(timestamp),
        SIGNATURE_HEADER: signature(secret, timestamp, body),
        **headers,
    }
    connection = _connection(target, address)
    try:
        connection.request("POST", target.path, body=body, headers=all_headers)
        response = connection.getresponse()
        raw = response.read(MAX_RESPONSE_BYTES)
        status = response.status
    except (OSError, http.client.HTTPException) as failure:
        return Outcome(None, _elapsed(started), error=_describe(failure))
    finally:
        connection.close()
    excerpt = raw.decode("utf-8", errors="replace")[:EXCERPT_CHARS]
    problem = ""
    if 300 <= status < 400:
        problem = f"redirect to {response.getheader('Location', '')[:200]!r} not followed"
    elif not 200 <= status < 300:
        problem = f"HTTP {status}"
    return Outcome(status, _elapsed(started), error=problem, response_excerpt=excerpt)


def tls_context() -> ssl.SSLContext:
    """Certificates and host names are always verified; `WEBHOOK_CA_FILE` replaces the
    system's trusted authorities (tests, or a private certificate authority)."""
    return ssl.create_default_context(cafile=getattr(settings, "WEBHOOK_CA_FILE", None))


def _connection(target: Target, address: str) -> http.client.HTTPConnection:
    """A connection to `target.host` (Host header, TLS name) made to the vetted address."""
    connection: http.client.HTTPConnection
    if target.scheme == "https":
        context = tls_context()
        connection = http.client.HTTPSConnection(
            target.host, target.port, timeout=timeout_seconds(), context=context
        )
    else:
        connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout_seconds())

    def pinned(_address: Any, timeout: Any, source_address: Any = None) -> socket.socket:
        return socket.create_connection((address, target.port), timeout, source_address)

    connection._create_connection = pinned  # type: ignore[attr-defined]
    return connection


def _describe(error: BaseException) -> str:
    if isinstance(error, TimeoutError | socket.timeout):
        return f"timed out after {timeout_seconds():g} s"
    return f"{type(error).__name__}: {error}"[:500]


def _elapsed(started: float) -> int:
    return int((time.monotonic() - started) * 1000)
