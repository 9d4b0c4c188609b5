"""The portal as a relying party of an organization's OpenID provider (domain/sso/federation.py
decides who the answer may sign in as).

Authorization code flow with PKCE (S256), ``state`` and ``nonce`` made by Authlib's generators;
the code exchanged at the provider's token endpoint with the sealed client secret (HTTP Basic, or
the form when the provider only takes that); the ID token's signature checked against the
provider's published keys and its ``iss`` (exactly the discovered issuer), ``aud``, ``exp`` and
``nonce`` checked (joserfc, Authlib's JOSE successor). Every wait is bounded; the provider's own
error texts are never shown.
"""

from __future__ import annotations

from typing import Protocol
from urllib.parse import urlencode

import httpx
from authlib.common.security import generate_token
from authlib.oauth2.rfc7636 import create_s256_code_challenge
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from db.models import SsoConnection
from domain.dependencies import HasSecrets, HasSettings
from domain.sso.connections import client_secret_of
from domain.sso.discovery import DiscoveryFailed, ProviderMetadata, discover
from domain.sso.federation import (
    FederationFailed,
    Pending,
    Person,
    person_from_claims,
    redirect_uri,
)

SCOPE = "openid email profile"
SIGNING_ALGORITHMS = ("RS256", "PS256", "ES256", "RS384", "RS512", "ES384", "EdDSA")


class FederationDeps(HasSettings, HasSecrets, Protocol):
    pass


async def _metadata(deps: HasSettings, connection: SsoConnection) -> ProviderMetadata:
    settings = deps.settings
    try:
        return await discover(
            connection.issuer,
            http_timeout=settings.sso_http_timeout_seconds,
            allow_http_loopback=not settings.production,
        )
    except DiscoveryFailed as exc:
        raise FederationFailed("Your organization's sign-in service could not be reached.") from exc


async def begin(
    deps: HasSettings, connection: SsoConnection, *, login_hint: str | None
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
        async with httpx.AsyncClient(timeout=timeout, follow_redirects=False) as http:
            response = await http.post(
                metadata.token_endpoint, data=form, auth=auth or httpx.USE_CLIENT_DEFAULT
            )
            if response.status_code != 200:
                raise FederationFailed(
                    "Your organization's sign-in service refused to complete the sign-in."
                )
            id_token = response.json().get("id_token")
            keys = KeySet.import_key_set((await http.get(metadata.jwks_uri)).json())
    except (httpx.HTTPError, ValueError, JoseError) as exc:
        raise FederationFailed("Your organization's sign-in service could not be reached.") from exc
    if not isinstance(id_token, str):
        raise FederationFailed("Your organization's sign-in service sent no ID token.")
    try:
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
