"""OAuth clients: registration (``server.py create-client``) and a per-process cache.

The token endpoint looks a client up on every request; the cache keeps that off the database.
A disabled client is refused by every process within ``oauth_client_cache_seconds``.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from urllib.parse import urlsplit

from db.database import Database
from db.models import OAuthClient
from domain.authz.api_scopes import THIRD_PARTY_API_SCOPES, ApiScope
from identity import repository
from identity.oauth.models import Client
from kit.crypto import new_token, sha256_hex
from settings import is_loopback_host

OIDC_SCOPES = ("openid", "profile", "email", "offline_access")
# Discovery's ``scopes_supported``: the OpenID scopes and the API's (domain/authz/api_scopes.py).
SUPPORTED_SCOPES = (*OIDC_SCOPES, *(s.value for s in ApiScope))
# What a third-party client is registered for: never the first-party-only API scopes.
THIRD_PARTY_SCOPES = (*OIDC_SCOPES, *THIRD_PARTY_API_SCOPES)
MAX_CACHED_CLIENTS = 1024
MAX_CLIENT_ID_LENGTH = 64


class InvalidClientMetadata(ValueError):
    pass


def validate_redirect_uri(uri: str) -> str:
    """https anywhere, http only for loopback hosts (RFC 8252 §7.3); absolute, no fragment."""
    try:
        parts = urlsplit(uri)
    except ValueError as exc:
        raise InvalidClientMetadata(f"not a URL: {uri!r}") from exc
    if not parts.hostname or parts.scheme not in {"https", "http"}:
        raise InvalidClientMetadata(f"must be an absolute https:// URL: {uri!r}")
    if parts.scheme == "http" and not is_loopback_host(parts.hostname):
        raise InvalidClientMetadata(
            f"http:// is accepted only for loopback hosts (127.0.0.1, [::1], localhost): {uri!r}"
        )
    if parts.fragment or "#" in uri:
        raise InvalidClientMetadata(f"must not contain a fragment: {uri!r}")
    if parts.username or parts.password:
        raise InvalidClientMetadata(f"must not contain credentials: {uri!r}")
    if len(uri) > 2000:
        raise InvalidClientMetadata("longer than 2000 characters")
    return uri


@dataclass(frozen=True)
class CreatedClient:
    client_id: str
    client_secret: str | None

    def as_json(self) -> dict[str, str]:
        out = {"client_id": self.client_id}
        if self.client_secret is not None:
            out["client_secret"] = self.client_secret
        return out


async def create_client(
    db: Database,
    *,
    name: str,
    redirect_uris: list[str],
    post_logout_redirect_uris: list[str] | None = None,
    public: bool = False,
    third_party: bool = False,
) -> CreatedClient:
    name = name.strip()
    if not name or len(name) > 200:
        raise InvalidClientMetadata("--name must be 1 to 200 characters")
    if not redirect_uris:
        raise InvalidClientMetadata("at least one --redirect-uri is required")
    uris = [validate_redirect_uri(u) for u in dict.fromkeys(redirect_uris)]
    logout_uris = [validate_redirect_uri(u) for u in dict.fromkeys(post_logout_redirect_uris or [])]
    client_id = new_token(18)
    secret = None if public else new_token(32)
    async with db.unit_of_work() as session:
        await repository.insert_client(
            session,
            OAuthClient(
                client_id=client_id,
                client_secret_hash=sha256_hex(secret) if secret else None,
                name=name,
                redirect_uris=uris,
                post_logout_redirect_uris=logout_uris,
                public=public,
                first_party=not third_party,
                scope=" ".join(THIRD_PARTY_SCOPES if third_party else SUPPORTED_SCOPES),
            ),
        )
    return CreatedClient(client_id, secret)


class ClientRegistry:
    def __init__(self, db: Database, ttl_seconds: float) -> None:
        self._db = db
        self._ttl = ttl_seconds
        self._cache: dict[str, tuple[float, Client]] = {}

    async def get(self, client_id: str | None) -> Client | None:
        """The enabled client, from the cache when fresh."""
        if not client_id or len(client_id) > MAX_CLIENT_ID_LENGTH:
            return None
        hit = self._cache.get(client_id)
        now = time.monotonic()
        if hit is not None and now - hit[0] < self._ttl:
            return hit[1]
        async with self._db.read_session() as session:
            row = await repository.find_client(session, client_id)
        if row is None or row.disabled_at is not None:
            self._cache.pop(client_id, None)
            return None
        client = Client.from_row(row)
        self._cache.pop(client_id, None)
        if len(self._cache) >= MAX_CACHED_CLIENTS:
            self._cache.pop(next(iter(self._cache)))  # the oldest entry
        self._cache[client_id] = (now, client)
        return client

    def peek(self, client_id: str | None) -> Client | None:
        """The cached client, for Authlib's synchronous ``query_client``; the request handler
        called ``get`` for the same id just before, so a registered client is here."""
        if not client_id:
            return None
        hit = self._cache.get(client_id)
        return hit[1] if hit else None

    def forget(self, client_id: str) -> None:
        self._cache.pop(client_id, None)
