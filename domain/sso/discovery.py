"""An upstream OpenID provider's discovery document (OpenID Connect Discovery 1.0 §4), fetched
with a bounded wait and checked to describe the issuer it was asked for (§4.3)."""

from __future__ import annotations

import ipaddress
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from settings import is_loopback_host

WELL_KNOWN = "/.well-known/openid-configuration"
_MAX_BYTES = 256 * 1024


class DiscoveryFailed(Exception):
    """The document could not be fetched, or is not one for this issuer; ``str`` says why in
    words fit for the person configuring the connection (never the raw upstream answer)."""


@dataclass(frozen=True, slots=True)
class ProviderMetadata:
    issuer: str
    authorization_endpoint: str
    token_endpoint: str
    jwks_uri: str
    raw: dict[str, Any]


def issuer_problem(issuer: str, *, allow_http_loopback: bool) -> str | None:
    """Why ``issuer`` cannot be an issuer identifier (None: it can)."""
    parts = urlsplit(issuer)
    if parts.query or parts.fragment:
        return "An issuer has no query and no fragment."
    if not parts.hostname:
        return "Enter the provider's issuer URL, such as https://login.example.com."
    if parts.scheme == "https":
        if not allow_http_loopback and _internal_address(parts.hostname):
            # Production: a Super Admin must not make the portal fetch from its own network.
            return "The issuer must be a public address."
        return None
    if parts.scheme == "http" and allow_http_loopback and is_loopback_host(parts.hostname):
        return None
    return "The issuer must be an https:// URL."


def _internal_address(host: str) -> bool:
    if is_loopback_host(host):
        return True
    try:
        address = ipaddress.ip_address(host.strip("[]"))
    except ValueError:
        return False  # a name: what it resolves to is the network's business (egress rules)
    return not address.is_global


def _url_problem(url: object, *, allow_http_loopback: bool) -> bool:
    return (
        not isinstance(url, str)
        or issuer_problem(url, allow_http_loopback=allow_http_loopback) is not None
    )


async def discover(
    issuer: str, *, http_timeout: float, allow_http_loopback: bool
) -> ProviderMetadata:
    url = issuer.rstrip("/") + WELL_KNOWN
    try:
        async with httpx.AsyncClient(timeout=http_timeout, follow_redirects=False) as client:
            response = await client.get(url, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise DiscoveryFailed(f"The provider at {url} could not be reached.") from exc
    if response.status_code != 200:
        raise DiscoveryFailed(f"{url} answered HTTP {response.status_code}, not the document.")
    if len(response.content) > _MAX_BYTES:
        raise DiscoveryFailed(f"{url} answered a document too large to be a discovery document.")
    try:
        document = response.json()
    except ValueError:
        document = None
    if not isinstance(document, dict):
        raise DiscoveryFailed(f"{url} did not answer a JSON discovery document.")
    named = document.get("issuer")
    # Exact comparison (§4.3), forgiving only the trailing slash a person may add or leave out.
    if not isinstance(named, str) or named.rstrip("/") != issuer.rstrip("/"):
        raise DiscoveryFailed(
            "The provider names itself differently: use exactly its issuer "
            f"({str(document.get('issuer'))[:200]!r})."
        )
    endpoints = ("authorization_endpoint", "token_endpoint", "jwks_uri")
    for name in endpoints:
        if _url_problem(document.get(name), allow_http_loopback=allow_http_loopback):
            raise DiscoveryFailed(f"The discovery document has no usable {name}.")
    if "code" not in document.get("response_types_supported", ["code"]):
        raise DiscoveryFailed("The provider does not support the authorization code flow.")
    return ProviderMetadata(
        issuer=named,
        authorization_endpoint=document["authorization_endpoint"],
        token_endpoint=document["token_endpoint"],
        jwks_uri=document["jwks_uri"],
        raw=document,
    )
