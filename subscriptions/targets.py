"""Which receiver addresses webhooks may be sent to (protection against SSRF).

Production: HTTPS only, and every address the host name resolves to must be a
public (global) address — no loopback, private, link-local (cloud metadata),
shared, reserved or multicast address. The same check runs when the URL is
registered and again before every request, and the request then connects to
the very address that was checked, so a DNS answer that changes in between
(DNS rebinding) cannot redirect it.

Development (`DEBUG`) and tests (`WEBHOOKS_ALLOW_LOCAL_TARGETS`) may also use
plain HTTP to localhost and loopback addresses, never private networks.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

from django.conf import settings
from django.utils.translation import gettext as _

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
LOCAL_NAMES = frozenset({"localhost", "localhost.localdomain"})


class TargetRefused(ValueError):
    """The URL may not receive webhooks; the message says why (translated)."""


@dataclass(frozen=True)
class Target:
    scheme: str
    host: str
    port: int
    path: str  # path and query, as sent in the request line


def local_targets_allowed() -> bool:
    return bool(settings.DEBUG or getattr(settings, "WEBHOOKS_ALLOW_LOCAL_TARGETS", False))


def parse_target(url: str) -> Target:
    """The URL's parts, or TargetRefused when its form is not acceptable."""
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError as error:
        raise TargetRefused(_("Enter a valid URL.")) from error
    scheme = parts.scheme.lower()
    host = (parts.hostname or "").rstrip(".").lower()
    if not host or scheme not in ("https", "http"):
        raise TargetRefused(_("The address must start with https://."))
    if parts.username is not None or parts.password is not None:
        raise TargetRefused(_("Do not put a user name or password in the address."))
    if parts.fragment:
        raise TargetRefused(_("The address may not contain a fragment (#…)."))
    if scheme == "http" and not (local_targets_allowed() and _is_local_name(host)):
        raise TargetRefused(_("The address must start with https://."))
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(scheme, host, port or (443 if scheme == "https" else 80), path)


def vetted_addresses(target: Target) -> list[IPAddress]:
    """The addresses the host resolves to, each allowed; TargetRefused otherwise."""
    addresses = _resolve(target.host, target.port)
    if not addresses:
        raise TargetRefused(_("The host name could not be resolved."))
    for address in addresses:
        if not _allowed(address):
            raise TargetRefused(
                _("The address %(address)s is not a public Internet address.")
                % {"address": address}
            )
    return addresses


def check_url(url: str) -> Target:
    """Both checks at once: what registration and every delivery run."""
    target = parse_target(url)
    vetted_addresses(target)
    return target


def _resolve(host: str, port: int) -> list[IPAddress]:
    literal = _literal(host)
    if literal is not None:
        return [literal]
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError):
        return []
    found: list[IPAddress] = []
    for _family, _type, _proto, _name, sockaddr in infos:
        address = ipaddress.ip_address(str(sockaddr[0]).split("%")[0])
        if address not in found:
            found.append(address)
    return found


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return None


def _allowed(address: IPAddress) -> bool:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        return local_targets_allowed()
    return address.is_global and not address.is_multicast


def _is_local_name(host: str) -> bool:
    literal = _literal(host)
    return literal.is_loopback if literal is not None else host in LOCAL_NAMES
