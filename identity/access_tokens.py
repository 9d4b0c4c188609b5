"""Access tokens: RFC 9068 JWTs (``typ: at+jwt``) signed by the portal's keys.

GraphQL accepts only these: this issuer, the API audience, unexpired, the right ``typ`` (an ID token
has ``typ: JWT`` and the client as audience, so it is refused twice over).
"""

from __future__ import annotations

import time
import uuid
from dataclasses import dataclass
from typing import Any

from identity.keys import KeyService
from kit.crypto import new_token

ACCESS_TOKEN_TYP = "at+jwt"  # noqa: S105 (a media type)
# A service account's token (client credentials) says so: its ``sub`` is the service account, it
# has no grant (``sid``), and its ``ssv`` is the secret's version (a rotation ends it).
PRINCIPAL_TYPE_CLAIM = "principal_type"
SERVICE_ACCOUNT = "service_account"
# Clock skew we tolerate between processes.
LEEWAY_SECONDS = 30


class InvalidAccessToken(Exception):
    pass


@dataclass(frozen=True, slots=True)
class AccessTokenClaims:
    subject: uuid.UUID
    client_id: str
    scopes: frozenset[str]
    expires_at: int
    issued_at: int
    jti: str
    auth_time: int | None
    # The user's security stamp when the token was issued (a password reset makes it stale).
    security_stamp: int | None
    # The refresh-token family / login session the token belongs to (revocation).
    session_id: str | None
    # A service account's token: ``subject`` is the service account's id.
    service_account: bool = False


async def issue_access_token(
    keys: KeyService,
    *,
    issuer: str,
    audience: str,
    ttl_seconds: int,
    user_id: uuid.UUID,
    client_id: str,
    scope: str,
    auth_time: int | None = None,
    security_stamp: int | None = None,
    session_id: str | None = None,
    now: int | None = None,
) -> str:
    claims = build_access_token_claims(
        issuer=issuer,
        audience=audience,
        ttl_seconds=ttl_seconds,
        user_id=user_id,
        client_id=client_id,
        scope=scope,
        auth_time=auth_time,
        security_stamp=security_stamp,
        session_id=session_id,
        now=now,
    )
    return await keys.sign(claims, typ=ACCESS_TOKEN_TYP)


def build_access_token_claims(
    *,
    issuer: str,
    audience: str,
    ttl_seconds: int,
    user_id: uuid.UUID,
    client_id: str,
    scope: str,
    auth_time: int | None = None,
    security_stamp: int | None = None,
    session_id: str | None = None,
    now: int | None = None,
) -> dict[str, Any]:
    """The RFC 9068 claims; the token endpoint signs them synchronously (inside Authlib)."""
    issued = int(time.time()) if now is None else now
    claims: dict[str, Any] = {
        "iss": issuer,
        "sub": str(user_id),
        "aud": audience,
        "client_id": client_id,
        "scope": scope,
        "iat": issued,
        "nbf": issued,
        "exp": issued + ttl_seconds,
        "jti": new_token(16),
    }
    if auth_time is not None:
        claims["auth_time"] = auth_time
    if security_stamp is not None:
        claims["ssv"] = security_stamp
    if session_id is not None:
        claims["sid"] = session_id
    return claims


def build_service_account_claims(
    *,
    issuer: str,
    audience: str,
    ttl_seconds: int,
    service_account_id: uuid.UUID,
    client_id: str,
    scope: str,
    secret_version: int,
    organization_id: uuid.UUID,
    now: int | None = None,
) -> dict[str, Any]:
    """RFC 9068 for the client credentials grant: ``sub`` names the client's own identity (the
    service account, §2.2), ``org`` the one organization it acts in (informational: GraphQL reads
    the organization from the database on every request)."""
    claims = build_access_token_claims(
        issuer=issuer,
        audience=audience,
        ttl_seconds=ttl_seconds,
        user_id=service_account_id,
        client_id=client_id,
        scope=scope,
        security_stamp=secret_version,
        now=now,
    )
    claims[PRINCIPAL_TYPE_CLAIM] = SERVICE_ACCOUNT
    claims["org"] = str(organization_id)
    return claims


async def verify_access_token(
    keys: KeyService, token: str, *, issuer: str, audience: str, now: int | None = None
) -> AccessTokenClaims:
    if not token or len(token) > 8192 or token.count(".") != 2:
        raise InvalidAccessToken("malformed")
    try:
        decoded = await keys.decode(token)
    except Exception as exc:  # any parse or signature failure means the same to the caller
        raise InvalidAccessToken("signature") from exc
    if str(decoded.header.get("typ", "")).lower() not in {ACCESS_TOKEN_TYP, "application/at+jwt"}:
        raise InvalidAccessToken("typ")
    claims = decoded.claims
    current = int(time.time()) if now is None else now
    if claims.get("iss") != issuer:
        raise InvalidAccessToken("iss")
    aud = claims.get("aud")
    if not (aud == audience or (isinstance(aud, list) and audience in aud)):
        raise InvalidAccessToken("aud")
    exp = claims.get("exp")
    if not isinstance(exp, int) or exp + LEEWAY_SECONDS < current:
        raise InvalidAccessToken("exp")
    nbf = claims.get("nbf", claims.get("iat"))
    if isinstance(nbf, int) and nbf - LEEWAY_SECONDS > current:
        raise InvalidAccessToken("nbf")
    try:
        subject = uuid.UUID(str(claims.get("sub")))
    except ValueError as exc:
        raise InvalidAccessToken("sub") from exc
    scope = claims.get("scope", "")
    return AccessTokenClaims(
        subject=subject,
        client_id=str(claims.get("client_id", "")),
        scopes=frozenset(str(scope).split()),
        expires_at=exp,
        issued_at=int(claims.get("iat", 0)),
        jti=str(claims.get("jti", "")),
        auth_time=claims.get("auth_time") if isinstance(claims.get("auth_time"), int) else None,
        security_stamp=claims.get("ssv") if isinstance(claims.get("ssv"), int) else None,
        session_id=str(claims["sid"]) if claims.get("sid") is not None else None,
        service_account=claims.get(PRINCIPAL_TYPE_CLAIM) == SERVICE_ACCOUNT,
    )
