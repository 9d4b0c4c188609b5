"""The claims of ID tokens, and the user's by scope for the ID token and userinfo alike."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Any, Protocol

from authlib.oidc.core import UserInfo
from authlib.oidc.core.util import create_half_hash

if TYPE_CHECKING:
    from identity.oauth.models import AuthorizationCode

CLAIMS_SUPPORTED = [
    "sub",
    "iss",
    "aud",
    "exp",
    "iat",
    "auth_time",
    "nonce",
    "amr",
    "sid",
    "at_hash",
    "name",
    "given_name",
    "family_name",
    "updated_at",
    "email",
    "email_verified",
]


class ClaimsUser(Protocol):
    @property
    def id(self) -> uuid.UUID: ...
    @property
    def email(self) -> str: ...
    @property
    def first_name(self) -> str: ...
    @property
    def last_name(self) -> str: ...
    @property
    def updated_at(self) -> datetime: ...


def user_claims(user: ClaimsUser, scope: str) -> UserInfo:
    scopes = set(scope.split())
    claims = UserInfo(sub=str(user.id))
    if "profile" in scopes:
        claims["name"] = f"{user.first_name} {user.last_name}".strip()
        claims["given_name"] = user.first_name
        claims["family_name"] = user.last_name
        claims["updated_at"] = int(user.updated_at.timestamp())
    if "email" in scopes:
        claims["email"] = user.email
        # Every account is activated through a code sent to its email address.
        claims["email_verified"] = True
    return claims


def id_token_claims(
    *,
    issuer: str,
    ttl_seconds: int,
    code: AuthorizationCode,
    access_token: str,
    user: ClaimsUser,
    scope: str,
    now: int,
) -> dict[str, Any]:
    """The ID token of a redeemed ``code`` (OIDC Core §2, §3.1.3.6), on both paths of the code
    exchange (grants.PortalOpenIDCode and code_exchange.py): the request's ``nonce``, when and how
    the user authenticated (``auth_time``, ``amr``), the browser session as ``sid`` and the
    access token's ``at_hash``, then the user's claims for ``scope``."""
    claims: dict[str, Any] = {
        "iss": issuer,
        "aud": code.client_id,
        "iat": now,
        "exp": now + ttl_seconds,
    }
    if code.nonce:
        claims["nonce"] = code.nonce
    claims["auth_time"] = int(code.auth_time.timestamp())
    if code.amr:
        claims["amr"] = code.amr.split()
    if code.browser_session_id is not None:
        claims["sid"] = str(code.browser_session_id)
    claims["at_hash"] = create_half_hash(access_token, "RS256").decode("ascii")
    claims.update(user_claims(user, scope))
    return claims
