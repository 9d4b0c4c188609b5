"""Helpers of the SCIM tests: a token made over GraphQL, requests to the live /scim/v2."""

from __future__ import annotations

from typing import Any

import httpx

from tests.support.gql import USER_ERRORS, Who, ok
from tests.support.server import LiveServer

SCIM_JSON = "application/scim+json"
USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User"
ERROR_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:Error"
PATCH_SCHEMA = "urn:ietf:params:scim:api:messages:2.0:PatchOp"

CREATE_TOKEN = f"""
mutation($org: ID) {{
  createScimToken(organizationId: $org) {{
    token baseUrl scimToken {{ id tokenHint createdAt lastUsedAt revokedAt }}
    {USER_ERRORS}
  }}
}}
"""
REVOKE_TOKEN = f"""
mutation($org: ID) {{
  revokeScimToken(organizationId: $org) {{ revokedScimTokenId {USER_ERRORS} }}
}}
"""
TOKENS = (
    "query($org: ID) { scimTokens(organizationId: $org) { id tokenHint lastUsedAt revokedAt } }"
)


async def create_token(live: LiveServer, who: Who, organization_id: Any = None) -> str:
    variables = {"org": str(organization_id)} if organization_id is not None else {}
    payload = await ok(live, who, CREATE_TOKEN, variables)
    assert payload["baseUrl"] == live.settings.public_url + "/scim/v2"
    token: str = payload["token"]
    return token


class Scim:
    """A directory speaking to the live server with one token."""

    def __init__(self, live: LiveServer, token: str) -> None:
        self.client = live.client
        self.token = token

    def _headers(self, extra: dict[str, str] | None = None) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}", **(extra or {})}

    async def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        headers: dict[str, str] | None = None,
        params: dict[str, Any] | None = None,
    ) -> httpx.Response:
        extra = {"Content-Type": SCIM_JSON} if body is not None else {}
        return await self.client.request(
            method,
            "/scim/v2" + path,
            content=None if body is None else httpx.Request("POST", "/", json=body).content,
            headers=self._headers({**extra, **(headers or {})}),
            params=params,
        )

    async def create(self, user_name: str, **attributes: Any) -> httpx.Response:
        return await self.request(
            "POST", "/Users", {"schemas": [USER_SCHEMA], "userName": user_name, **attributes}
        )

    async def patch(self, scim_id: str, *operations: dict[str, Any]) -> httpx.Response:
        return await self.request(
            "PATCH",
            f"/Users/{scim_id}",
            {"schemas": [PATCH_SCHEMA], "Operations": list(operations)},
        )


def assert_error(response: httpx.Response, status: int, scim_type: str | None = None) -> None:
    assert response.status_code == status, response.text
    assert response.headers["content-type"].startswith(SCIM_JSON)
    body = response.json()
    assert body["schemas"] == [ERROR_SCHEMA]
    assert body["status"] == str(status)
    assert body.get("scimType") == scim_type, body
