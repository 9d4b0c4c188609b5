"""The portal as a relying party of an organization's OpenID provider (domain/sso/federation.py
decides who the answer may sign in as).

Authorization code flow with PKCE (S256), ``state`` and ``nonce`` made by Authlib's generators;
the code exchanged at the provider's token endpoint with the sealed client secret (HTTP Basic, or
the form when the provider only takes that); the ID token's signature checked against the
provider's published keys and its ``iss`` (exactly the discovered issuer), ``aud``, ``exp`` and
``nonce`` checked (joserfc, Authlib's JOSE successor). Every wait is bounded; the provider's own
error texts are never shown.

The discovery document and the JWKS come from a per-process ``ProviderCache``
(domain/sso/discovery.py) kept in ``services.extras``: a sign-in fetches neither while they are
fresh, and an ID token signed with a key the cached set lacks (the provider rotated its keys)
fetches the set once more.
"""

from __future__ import annotations

from typing import Any, Protocol
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet
from joserfc.jws import extract_compact

from db.models import SsoConnection
from domain.dependencies import HasSecrets, HasSettings
from domain.sso.connections import client_secret_of
from domain.sso.discovery import (
    DiscoveryFailed,
    KeysFailed,
    ProviderCache,
    ProviderMetadata,
    key_ids,
)
from domain.sso.federation import (
    FederationFailed,
    Pending,
    Person,
    person_from_claims,
    redirect_uri,
)
from kit.tls import client_context

SCOPE = "openid email profile"
SIGNING_ALGORITHMS = ("RS256", "PS256", "ES256", "RS384", "RS512", "ES384", "EdDSA")


CACHE_KEY = "sso_provider_cache"


class HasExtras(Protocol):
    @property
    def extras(self) -> dict[str, Any]: ...


class BeginDeps(HasSettings, HasExtras, Protocol):
    pass


class FederationDeps(HasSettings, HasSecrets, HasExtras, Protocol):
    pass


def provider_cache(deps: HasExtras) -> ProviderCache:
    """This process's cache of providers' documents (one per ``Services``)."""
    cache = deps.extras.get(CACHE_KEY)
    if not isinstance(cache, ProviderCache):
        cache = deps.extras[CACHE_KEY] = ProviderCache()
    return cache


async def _metadata(deps: BeginDeps, connection: SsoConnection) -> ProviderMetadata:
    settings = deps.settings
    try:
        return await provider_cache(deps).metadata(
            connection.issuer,
            http_timeout=settings.sso_http_timeout_seconds,
            allow_http_loopback=not settings.production,
        )
    except DiscoveryFailed as exc:
        raise FederationFailed("Your organization's sign-in service could not be reached.") from exc


async def begin(
    deps: BeginDeps, connection: SsoConnection, *, login_hint: str | None
) -> tuple[str, Pending]:
    """The provider's authorization URL to send the browser to, and what to keep meanwhile."""
    metadata = await _metadata(deps, connection)
    pending = Pending(
        connection_id=str(connection.id),
        state=generate_token(32),
        nonce=generate_token(32),
        verifier=generate_token(64),
    )
    params = {
        "response_type": "code",
        "client_id": connection.client_id,
        "redirect_uri": redirect_uri(deps.settings.public_url),
        "scope": SCOPE,
        "state": pending.state,
        "nonce": pending.nonce,
        "code_challenge": create_s256_code_challenge(pending.verifier),
        "code_challenge_method": "S256",
    }
    if login_hint:
        params["login_hint"] = login_hint
    separator = "&" if "?" in metadata.authorization_endpoint else "?"
    return metadata.authorization_endpoint + separator + urlencode(params), pending


async def finish(
    deps: FederationDeps, connection: SsoConnection, pending: Pending, *, code: str
) -> Person:
    """Exchange the code and check the ID token; the person it names."""
    metadata = await _metadata(deps, connection)
    secret = await client_secret_of(deps, connection)
    timeout = deps.settings.sso_http_timeout_seconds
    form = {
        "grant_type": "authorization_code",
        "code": code,
        "redirect_uri": redirect_uri(deps.settings.public_url),
        "code_verifier": pending.verifier,
    }
    methods = metadata.raw.get("token_endpoint_auth_methods_supported") or ["client_secret_basic"]
    auth: httpx.BasicAuth | None = None
    if "client_secret_basic" in methods:
        auth = httpx.BasicAuth(connection.client_id, secret)
    else:
        form.update(client_id=connection.client_id, client_secret=secret)
    try:
        async with httpx.AsyncClient(
            timeout=timeout, follow_redirects=False, verify=client_context()
        ) as http:
            response = await http.post(
                metadata.token_endpoint, data=form, auth=auth or httpx.USE_CLIENT_DEFAULT
            )
            if response.status_code != 200:
                raise FederationFailed(
                    "Your organization's sign-in service refused to complete the sign-in."
                )
            id_token = response.json().get("id_token")
    except (httpx.HTTPError, ValueError) as exc:
        raise FederationFailed("Your organization's sign-in service could not be reached.") from exc
    if not isinstance(id_token, str):
        raise FederationFailed("Your organization's sign-in service sent no ID token.")
    try:
        keys = await _keys_for(deps, metadata, id_token)
        token = jwt.decode(id_token, keys, algorithms=list(SIGNING_ALGORITHMS))
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": metadata.issuer},
            aud={"essential": True, "value": connection.client_id},
            nonce={"essential": True, "value": pending.nonce},
            sub={"essential": True},
            exp={"essential": True},
        ).validate(token.claims)
    except (JoseError, ValueError) as exc:
        raise FederationFailed(
            "The answer of your organization's sign-in service could not be trusted."
        ) from exc
    return person_from_claims(token.claims, connection.groups_claim)


async def _keys_for(deps: FederationDeps, metadata: ProviderMetadata, id_token: str) -> KeySet:
    """The provider's keys, fetched again once when the token's ``kid`` is not among the cached
    ones (a rotation); ``FederationFailed`` when they cannot be fetched."""
    cache = provider_cache(deps)
    timeout = deps.settings.sso_http_timeout_seconds
    kid = extract_compact(id_token.encode()).headers().get("kid")
    try:
        jwks = await cache.keys(metadata, http_timeout=timeout)
        if isinstance(kid, str) and kid not in key_ids(jwks):
            jwks = await cache.keys(metadata, http_timeout=timeout, refresh=True)
    except KeysFailed as exc:
        raise FederationFailed("Your organization's sign-in service could not be reached.") from exc
    return KeySet.import_key_set(jwks)  # type: ignore[arg-type]
