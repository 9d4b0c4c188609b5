"""Access tokens for tests, minted with the portal's own key service (as the token endpoint does)."""

from __future__ import annotations

import uuid

from domain.authz.api_scopes import ApiScope
from identity.access_tokens import issue_access_token
from runtime import Services

# What the token endpoint issues a first-party client for ``openid profile email``: every API
# scope (identity/oauth/models.py Client.issued_scope).
FIRST_PARTY_SCOPE = " ".join(["openid", "profile", "email", *(s.value for s in ApiScope)])


async def mint_access_token(
    services: Services,
    user_id: uuid.UUID,
    *,
    client_id: str = "test-client",
    scope: str = FIRST_PARTY_SCOPE,
    security_stamp: int | None = None,
    audience: str | None = None,
    ttl_seconds: int | None = None,
) -> str:
    settings = services.settings
    return await issue_access_token(
        services.keys,
        issuer=settings.issuer,
        audience=audience or settings.api_audience,
        ttl_seconds=ttl_seconds or settings.access_token_ttl_seconds,
        user_id=user_id,
        client_id=client_id,
        scope=scope,
        security_stamp=security_stamp,
    )
