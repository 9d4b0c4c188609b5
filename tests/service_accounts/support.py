"""Documents and helpers of the service-account tests: create one over GraphQL, obtain its token
at the real token endpoint."""

from __future__ import annotations

import base64
from dataclasses import dataclass
from typing import Any

import httpx

from tests.support.gql import USER_ERRORS, Who, ok
from tests.support.server import LiveServer

TOKEN_PATH = "/oauth/token"

SERVICE_ACCOUNT_FIELDS = "id name role clientId secretHint createdAt secretRotatedAt lastUsedAt"

CREATE = f"""
mutation($input: CreateServiceAccountInput!) {{
  createServiceAccount(input: $input) {{
    clientId clientSecret
    serviceAccount {{ {SERVICE_ACCOUNT_FIELDS} createdBy {{ email }} }}
    {USER_ERRORS}
  }}
}}
"""
ROTATE = f"""
mutation($input: ServiceAccountIdInput!) {{
  rotateServiceAccountSecret(input: $input) {{
    clientSecret serviceAccount {{ {SERVICE_ACCOUNT_FIELDS} }}
    {USER_ERRORS}
  }}
}}
"""
REVOKE = f"""
mutation($input: ServiceAccountIdInput!) {{
  revokeServiceAccount(input: $input) {{ revokedServiceAccountId {USER_ERRORS} }}
}}
"""
LIST = f"""
query($org: ID, $first: Int, $after: String) {{
  serviceAccounts(organizationId: $org, first: $first, after: $after) {{
    totalCount
    edges {{ cursor node {{ {SERVICE_ACCOUNT_FIELDS} }} }}
    pageInfo {{ hasNextPage endCursor }}
  }}
}}
"""


@dataclass
class Machine:
    id: str
    client_id: str
    client_secret: str
    organization_id: str


async def create_service_account(
    live: LiveServer, who: Who, *, name: str, role: str = "USER", organization_id: Any = None
) -> Machine:
    variables: dict[str, Any] = {"input": {"name": name, "role": role}}
    if organization_id is not None:
        variables["input"]["organizationId"] = str(organization_id)
    payload = await ok(live, who, CREATE, variables)
    account = payload["serviceAccount"]
    assert payload["clientId"] == account["clientId"]
    return Machine(
        account["id"], payload["clientId"], payload["clientSecret"], str(organization_id or "")
    )


async def token_response(
    live: LiveServer,
    client_id: str,
    client_secret: str,
    *,
    method: str = "client_secret_basic",
    scope: str | None = None,
    grant_type: str = "client_credentials",
) -> httpx.Response:
    """A real POST to the token endpoint, authenticating by HTTP Basic or in the form."""
    form = {"grant_type": grant_type}
    if scope is not None:
        form["scope"] = scope
    headers: dict[str, str] = {}
    if method == "client_secret_basic":
        raw = f"{client_id}:{client_secret}".encode()
        headers["Authorization"] = "Basic " + base64.b64encode(raw).decode()
    else:
        form["client_id"] = client_id
        form["client_secret"] = client_secret
    return await live.client.post(TOKEN_PATH, data=form, headers=headers)


async def access_token(live: LiveServer, machine: Machine, **kwargs: Any) -> str:
    response = await token_response(live, machine.client_id, machine.client_secret, **kwargs)
    assert response.status_code == 200, response.text
    token: str = response.json()["access_token"]
    return token
