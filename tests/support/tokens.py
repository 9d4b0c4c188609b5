"""Access tokens for tests, minted with the portal's own key service (as the token endpoint does)."""

from __future__ import annotations

import uuid

from identity.access_tokens import issue_access_token
from runtime import Services


async def mint_access_token(
    services: Services,
    user_id: uuid.UUID,
    *,
    client_id: str = "test-client",
    scope: str = "openid profile email",
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
