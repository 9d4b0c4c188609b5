"""Where a webhook may go (SSRF): checked when an endpoint is saved and again before every attempt.

A receiver's URL is typed by a customer; without these rules the portal would POST into its own
network (loopback, private ranges, the cloud's metadata service at 169.254.169.254). The name is
resolved at delivery time and every address it resolves to must be allowed; the request then goes
to the address that was checked (``transport.py``), so a DNS answer that changes between the check
and the connection (DNS rebinding) cannot redirect it.
"""

from __future__ import annotations

import asyncio
import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import urlsplit

MAX_URL_LENGTH = 2048

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True, slots=True)
class AddressPolicy:
    allow_http: bool
    allow_loopback: bool


class RefusedAddress(Exception):
    """The URL, or an address its host resolves to, is not one the portal delivers to."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code


@dataclass(frozen=True, slots=True)
class Target:
    scheme: str
    host: str  # as written in the URL (a name or a literal address, without brackets)
    port: int
    path: str  # path and query


def parse_url(url: str, policy: AddressPolicy) -> Target:
    """The URL's parts, or ``RefusedAddress``: absolute http(s) (https only unless
    ``allow_http``), no credentials, no fragment; a literal address must be allowed."""
    if len(url) > MAX_URL_LENGTH or any(c.isspace() for c in url):
        raise RefusedAddress("INVALID_URL", "Enter an absolute https:// URL.")
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError as exc:
        raise RefusedAddress("INVALID_URL", "Enter an absolute https:// URL.") from exc
    if parts.scheme not in ("https", "http") or not parts.hostname:
        raise RefusedAddress("INVALID_URL", "Enter an absolute https:// URL.")
    if parts.scheme == "http" and not policy.allow_http:
        raise RefusedAddress("INSECURE_URL", "Webhook URLs must use https://.")
    if parts.username is not None or parts.password is not None or parts.fragment:
        raise RefusedAddress(
            "INVALID_URL", "Leave credentials and #fragments out of the webhook URL."
        )
    host = parts.hostname
    literal = _literal(host)
    if literal is not None:
        check_address(literal, policy)
    elif host == "localhost" or host.endswith(".localhost"):
        check_address(ipaddress.ip_address("127.0.0.1"), policy)
    path = parts.path or "/"
    if parts.query:
        path = f"{path}?{parts.query}"
    return Target(
        scheme=parts.scheme,
        host=host,
        port=port or (443 if parts.scheme == "https" else 80),
        path=path,
    )


def _literal(host: str) -> IPAddress | None:
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        return None


def check_address(address: IPAddress, policy: AddressPolicy) -> None:
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    if address.is_loopback:
        if policy.allow_loopback:
            return
        raise RefusedAddress("PRIVATE_ADDRESS", "Loopback addresses cannot receive webhooks.")
    # is_global is False for private, link-local (the metadata service), shared (100.64/10),
    # reserved, multicast and unspecified addresses, IPv4 and IPv6 alike.
    if not address.is_global or address.is_multicast:
        raise RefusedAddress("PRIVATE_ADDRESS", "Webhooks go only to public internet addresses.")


async def resolve(target: Target, policy: AddressPolicy) -> IPAddress:
    """The address to connect to: every address the host resolves to must be allowed (one bad
    answer refuses the lot: a name that points inside even once is not a public receiver)."""
    literal = _literal(target.host)
    if literal is not None:
        check_address(literal, policy)
        return literal
    loop = asyncio.get_running_loop()
    try:
        infos = await loop.getaddrinfo(
            target.host, target.port, type=socket.SOCK_STREAM, proto=socket.IPPROTO_TCP
        )
    except OSError as exc:
        raise RefusedAddress("UNRESOLVABLE", f"cannot resolve {target.host}: {exc}") from exc
    addresses = [ipaddress.ip_address(info[4][0]) for info in infos]
    if not addresses:
        raise RefusedAddress("UNRESOLVABLE", f"{target.host} has no address")
    for address in addresses:
        check_address(address, policy)
    return addresses[0]
