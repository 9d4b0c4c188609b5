"""The user's claims by scope, for the ID token and the userinfo endpoint alike."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Protocol

from authlib.oidc.core import UserInfo

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
