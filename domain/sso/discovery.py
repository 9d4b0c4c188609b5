"""An upstream OpenID provider's discovery document (OpenID Connect Discovery 1.0 §4), fetched
with a bounded wait and checked to describe the issuer it was asked for (§4.3); and its signing
keys (the JWKS the document names).

``discover`` always fetches (the console's "test connection" wants the provider's answer now);
a sign-in goes through ``ProviderCache``, so that a busy organization does not fetch the same two
documents for every person: see its docstring for the rules.
"""

from __future__ import annotations

import ipaddress
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from kit.tls import client_context
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
        async with httpx.AsyncClient(
            timeout=http_timeout, follow_redirects=False, verify=client_context()
        ) as client:
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


class KeysFailed(Exception):
    """The provider's JWKS could not be fetched or is not a key set."""


async def fetch_jwks(jwks_uri: str, *, http_timeout: float) -> dict[str, Any]:
    """The key set at ``jwks_uri`` (RFC 7517 §5) as JSON, not yet parsed into keys."""
    try:
        async with httpx.AsyncClient(
            timeout=http_timeout, follow_redirects=False, verify=client_context()
        ) as client:
            response = await client.get(jwks_uri, headers={"Accept": "application/json"})
    except httpx.HTTPError as exc:
        raise KeysFailed(f"{jwks_uri} could not be reached.") from exc
    if response.status_code != 200 or len(response.content) > _MAX_BYTES:
        raise KeysFailed(f"{jwks_uri} answered HTTP {response.status_code}, not a key set.")
    try:
        document = response.json()
    except ValueError:
        document = None
    if not isinstance(document, dict) or not isinstance(document.get("keys"), list):
        raise KeysFailed(f"{jwks_uri} did not answer a JSON key set.")
    return document


def key_ids(jwks: dict[str, Any]) -> set[str]:
    return {k["kid"] for k in jwks.get("keys", []) if isinstance(k, dict) and "kid" in k}


# A sign-in reuses what was fetched for this long, per issuer ...
CACHE_SECONDS = 300.0
# ... and a failure for only this long (long enough that a burst of sign-ins against a provider
# that is down waits on one fetch, not one each; short enough that a fixed provider works at once).
FAILURE_SECONDS = 5.0
# Issuers kept (least recently used dropped first): one per organization signing in right now.
MAX_ISSUERS = 256


@dataclass(slots=True)
class _Entry:
    metadata: ProviderMetadata | None = None
    metadata_until: float = 0.0
    metadata_error: DiscoveryFailed | None = None
    jwks: dict[str, Any] | None = None
    jwks_until: float = 0.0
    jwks_error: KeysFailed | None = None
    jwks_uri: str = ""


class ProviderCache:
    """Per process, per issuer: its discovery document and its JWKS, for ``ttl_seconds``, at most
    ``max_issuers`` issuers (LRU). A failure to fetch is remembered for ``failure_seconds`` only
    (and raised again meanwhile, as the same ``DiscoveryFailed``/``KeysFailed``).

    Two sign-ins within the TTL fetch each document once. When an ID token names a key (``kid``)
    the cached set lacks — the provider rotated its keys — the caller asks once for a fresh set
    (``keys(..., refresh=True)``); nothing else forces a fetch before the TTL. A connection
    changed in the console (another issuer) is another entry; the same issuer's documents are at
    most ``ttl_seconds`` old."""

    def __init__(
        self,
        *,
        ttl_seconds: float = CACHE_SECONDS,
        failure_seconds: float = FAILURE_SECONDS,
        max_issuers: int = MAX_ISSUERS,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._ttl = ttl_seconds
        self._failure = failure_seconds
        self._max = max_issuers
        self._clock = clock
        self._entries: OrderedDict[str, _Entry] = OrderedDict()

    def __len__(self) -> int:
        return len(self._entries)

    def _entry(self, issuer: str) -> _Entry:
        key = issuer.rstrip("/")
        entry = self._entries.get(key)
        if entry is None:
            entry = self._entries[key] = _Entry()
            while len(self._entries) > self._max:
                self._entries.popitem(last=False)
        else:
            self._entries.move_to_end(key)
        return entry

    async def metadata(
        self, issuer: str, *, http_timeout: float, allow_http_loopback: bool
    ) -> ProviderMetadata:
        entry = self._entry(issuer)
        now = self._clock()
        if now < entry.metadata_until:
            if entry.metadata_error is not None:
                raise entry.metadata_error
            assert entry.metadata is not None
            return entry.metadata
        try:
            metadata = await discover(
                issuer, http_timeout=http_timeout, allow_http_loopback=allow_http_loopback
            )
        except DiscoveryFailed as exc:
            entry.metadata, entry.metadata_error = None, exc
            entry.metadata_until = self._clock() + self._failure
            raise
        entry.metadata, entry.metadata_error = metadata, None
        entry.metadata_until = self._clock() + self._ttl
        return metadata

    async def keys(
        self, metadata: ProviderMetadata, *, http_timeout: float, refresh: bool = False
    ) -> dict[str, Any]:
        """The JWKS of ``metadata``'s issuer; ``refresh``: fetched now (an unknown ``kid``)."""
        entry = self._entry(metadata.issuer)
        now = self._clock()
        fresh = now < entry.jwks_until and entry.jwks_uri == metadata.jwks_uri
        if fresh and not refresh:
            if entry.jwks_error is not None:
                raise entry.jwks_error
            assert entry.jwks is not None
            return entry.jwks
        entry.jwks_uri = metadata.jwks_uri
        try:
            jwks = await fetch_jwks(metadata.jwks_uri, http_timeout=http_timeout)
        except KeysFailed as exc:
            entry.jwks, entry.jwks_error = None, exc
            entry.jwks_until = self._clock() + self._failure
            raise
        entry.jwks, entry.jwks_error = jwks, None
        entry.jwks_until = self._clock() + self._ttl
        return jwks
