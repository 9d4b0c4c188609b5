"""GraphQL documents and helpers of the webhook tests."""

from __future__ import annotations

from typing import Any

from tests.factories import Actor
from tests.support.gql import USER_ERRORS, call, payload_of
from tests.support.server import LiveServer

ENDPOINT_FIELDS = """id url description events enabled disabledReason failingSince
  previousSecretExpiresAt"""
DELIVERY_FIELDS = """id webhookId eventType status attempts responseStatus durationMs lastError
  payload lastAttemptAt nextAttemptAt deliveredAt replayOf"""

CREATE = f"""
mutation($input: CreateWebhookEndpointInput!) {{
  createWebhookEndpoint(input: $input) {{ endpoint {{ {ENDPOINT_FIELDS} }} secret {USER_ERRORS} }}
}}
"""
UPDATE = f"""
mutation($input: UpdateWebhookEndpointInput!) {{
  updateWebhookEndpoint(input: $input) {{ endpoint {{ {ENDPOINT_FIELDS} }} {USER_ERRORS} }}
}}
"""
ROTATE = f"""
mutation($input: WebhookEndpointIdInput!) {{
  rotateWebhookSecret(input: $input) {{ endpoint {{ {ENDPOINT_FIELDS} }} secret {USER_ERRORS} }}
}}
"""
DELETE = f"""
mutation($input: WebhookEndpointIdInput!) {{
  deleteWebhookEndpoint(input: $input) {{ deletedEndpointId {USER_ERRORS} }}
}}
"""
REPLAY = f"""
mutation($input: ReplayWebhookDeliveryInput!) {{
  replayWebhookDelivery(input: $input) {{ delivery {{ {DELIVERY_FIELDS} }} {USER_ERRORS} }}
}}
"""
ENDPOINTS = f"""
query($org: ID) {{ webhookEndpoints(organizationId: $org) {{ {ENDPOINT_FIELDS} }} }}
"""
DELIVERIES = f"""
query($id: ID!, $first: Int, $after: String) {{
  webhookDeliveries(endpointId: $id, first: $first, after: $after) {{
    totalCount pageInfo {{ hasNextPage endCursor }} edges {{ node {{ {DELIVERY_FIELDS} }} }}
  }}
}}
"""
EVENT_TYPES = "{ webhookEventTypes { name description payloadVersion } }"


async def create_endpoint(
    live: LiveServer, actor: Actor, url: str, events: list[str], **more: Any
) -> tuple[dict[str, Any], str]:
    """The endpoint and its secret (the mutation must succeed)."""
    payload = payload_of(
        await call(live, actor, CREATE, {"input": {"url": url, "events": events, **more}})
    )
    assert payload["userErrors"] == [], payload
    return payload["endpoint"], payload["secret"]


async def deliveries(live: LiveServer, actor: Actor, endpoint_id: str) -> list[dict[str, Any]]:
    body = await call(live, actor, DELIVERIES, {"id": endpoint_id, "first": 100})
    assert "errors" not in body, body
    return [e["node"] for e in body["data"]["webhookDeliveries"]["edges"]]
