"""Webhooks: endpoints, their delivery log, the event catalogue; inputs and payloads together.

Every object here was reached through a root field that checked that the viewer may manage the
organization's webhooks. The delivery log is a root field of its own (``webhookDeliveries``), not
an edge of the endpoint: a page of deliveries under each endpoint of a list would cost a page
times a page.
"""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from db.enums import WebhookDeliveryStatus
from db.models import WebhookDelivery as DeliveryRow
from db.models import WebhookEndpoint as EndpointRow
from domain.webhooks.catalog import PAYLOAD_VERSION, EventType
from kit.clock import utcnow
from schema.enums import describe_values
from schema.errors import UserError
from schema.payloads import Payload
from schema.relay import Connection

strawberry.enum(
    WebhookDeliveryStatus,
    description="Where a webhook delivery stands.",
)
describe_values(
    WebhookDeliveryStatus,
    {
        "PENDING": "Waiting for its first or next attempt.",
        "SUCCEEDED": "The receiver answered with a 2xx status.",
        "DEAD": "Given up: about three days of failed attempts (or a body over the size limit).",
    },
)


@strawberry.type(description="An event type an endpoint can subscribe to (docs/WEBHOOKS.md).")
class WebhookEventType:
    name: str = strawberry.field(description="The type's name, e.g. `device.registered`.")
    description: str = strawberry.field(description="What happened, in words.")
    payload_version: int = strawberry.field(
        description="The payload's `version`: it changes only when a field is removed or "
        "changes meaning."
    )

    @classmethod
    def from_value(cls, value: EventType) -> WebhookEventType:
        return cls(name=value.name, description=value.description, payload_version=PAYLOAD_VERSION)


@strawberry.type(
    description="One event sent (or to be sent) to one endpoint, and its last attempt."
)
class WebhookDelivery:
    id: strawberry.ID = strawberry.field(description="The delivery's id.")
    webhook_id: str = strawberry.field(
        description="The `webhook-id` header: the same for every attempt and replay of the event."
    )
    event_type: str = strawberry.field(description="The event's type, e.g. `device.registered`.")
    status: WebhookDeliveryStatus = strawberry.field(description="Where the delivery stands.")
    attempts: int = strawberry.field(description="Attempts made so far.")
    response_status: int | None = strawberry.field(
        description="The HTTP status of the last attempt; null when it got no answer."
    )
    duration_ms: int | None = strawberry.field(
        description="How long the last attempt took, in milliseconds."
    )
    last_error: str | None = strawberry.field(
        description="Why the last attempt failed (a status, a timeout, a refused address)."
    )
    payload: str = strawberry.field(description="The JSON body, exactly as signed and sent.")
    created_at: datetime = strawberry.field(description="When the event was queued.")
    last_attempt_at: datetime | None = strawberry.field(description="When it was last tried.")
    next_attempt_at: datetime | None = strawberry.field(
        description="When it will be tried next (pending deliveries only)."
    )
    delivered_at: datetime | None = strawberry.field(description="When the receiver took it.")
    replay_of: strawberry.ID | None = strawberry.field(
        description="The delivery this one replays, or null."
    )

    @classmethod
    def from_row(cls, row: DeliveryRow) -> WebhookDelivery:
        return cls(
            id=strawberry.ID(str(row.id)),
            webhook_id=row.message_id,
            event_type=row.event_type,
            status=row.status,
            attempts=row.attempts,
            response_status=row.response_status,
            duration_ms=row.duration_ms,
            last_error=row.last_error,
            payload=row.payload,
            created_at=row.created_at,
            last_attempt_at=row.last_attempt_at,
            next_attempt_at=(
                row.available_at if row.status is WebhookDeliveryStatus.PENDING else None
            ),
            delivered_at=row.delivered_at,
            replay_of=strawberry.ID(str(row.replay_of)) if row.replay_of else None,
        )


@strawberry.type(description="A page of an endpoint's deliveries, newest first.")
class WebhookDeliveryConnection(Connection[WebhookDelivery]):
    pass


@strawberry.type(description="Where an organization's events are sent, signed (Standard Webhooks).")
class WebhookEndpoint:
    id: strawberry.ID = strawberry.field(description="The endpoint's id.")
    url: str = strawberry.field(description="The receiver's URL.")
    description: str | None = strawberry.field(description="A note for people, or null.")
    events: list[str] = strawberry.field(description="The event types sent to it.")
    enabled: bool = strawberry.field(description="False: nothing is sent to it.")
    disabled_reason: str | None = strawberry.field(
        description="`FAILING` when the portal disabled it after days of failed deliveries; "
        "null otherwise."
    )
    failing_since: datetime | None = strawberry.field(
        description="The first failed attempt since the last success, or null."
    )
    previous_secret_expires_at: datetime | None = strawberry.field(
        description="After a rotation: until when the previous secret still signs (its "
        "signature is sent beside the new one); null when only one secret signs."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    updated_at: datetime = strawberry.field(description="When it last changed.")
    pk: strawberry.Private[uuid.UUID]

    @classmethod
    def from_row(cls, row: EndpointRow) -> WebhookEndpoint:
        overlap = row.previous_secret_expires_at
        return cls(
            id=strawberry.ID(str(row.id)),
            url=row.url,
            description=row.description,
            events=list(row.event_types),
            enabled=row.enabled,
            disabled_reason=row.disabled_reason,
            failing_since=row.failing_since,
            previous_secret_expires_at=overlap if overlap and overlap > utcnow() else None,
            created_at=row.created_at,
            updated_at=row.updated_at,
            pk=row.id,
        )


# --- inputs and payloads of the mutations (resolvers/webhooks.py)


@strawberry.input(description="A new webhook endpoint.")
class CreateWebhookEndpointInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Defaults to the working organization."
    )
    url: str = strawberry.field(
        description="The receiver: an https:// URL of a public address (plain http and loopback "
        "only in development)."
    )
    events: list[str] = strawberry.field(
        description="The event types to send (`webhookEventTypes`), at least one."
    )
    description: str | None = strawberry.field(
        default=None, description="A note for people (at most 200 characters)."
    )


@strawberry.input(description="An endpoint and what changes; omitted fields stay as they are.")
class UpdateWebhookEndpointInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's id.")
    url: str | None = strawberry.field(default=None, description="A new receiver URL.")
    events: list[str] | None = strawberry.field(default=None, description="The new event types.")
    description: str | None = strawberry.field(
        default=None, description="A new note; an empty one removes it."
    )
    enabled: bool | None = strawberry.field(
        default=None,
        description="False disables the endpoint (nothing is sent); true enables it again and "
        "its pending deliveries resume.",
    )


@strawberry.input(description="A webhook endpoint, by id.")
class WebhookEndpointIdInput:
    id: strawberry.ID = strawberry.field(description="The endpoint's id.")


@strawberry.input(description="A webhook delivery to send again.")
class ReplayWebhookDeliveryInput:
    id: strawberry.ID = strawberry.field(description="The delivery's id.")


@strawberry.type(description="The new endpoint and its signing secret, shown this once.")
class CreateWebhookEndpointPayload(Payload):
    endpoint: WebhookEndpoint | None = strawberry.field(
        default=None, description="Null on failure."
    )
    secret: str | None = strawberry.field(
        default=None,
        description="The signing secret (`whsec_…`), for `standardwebhooks.Webhook(secret)`: "
        "shown this once, never again.",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why nothing was created."
    )


@strawberry.type(description="The endpoint as it now is.")
class UpdateWebhookEndpointPayload(Payload):
    endpoint: WebhookEndpoint | None = strawberry.field(
        default=None, description="Null on failure."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why nothing changed."
    )


@strawberry.type(description="The endpoint's new signing secret, shown this once.")
class RotateWebhookSecretPayload(Payload):
    endpoint: WebhookEndpoint | None = strawberry.field(
        default=None, description="Null on failure."
    )
    secret: str | None = strawberry.field(
        default=None,
        description="The new secret, shown this once. The previous one keeps signing beside it "
        "until `endpoint.previousSecretExpiresAt`.",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why nothing changed."
    )


@strawberry.type(description="The id of the deleted endpoint.")
class DeleteWebhookEndpointPayload(Payload):
    deleted_endpoint_id: strawberry.ID | None = strawberry.field(
        default=None, description="Null on failure."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why nothing was deleted."
    )


@strawberry.type(description="The new delivery that sends the message again.")
class ReplayWebhookDeliveryPayload(Payload):
    delivery: WebhookDelivery | None = strawberry.field(
        default=None, description="Null on failure."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list, description="Why nothing was queued."
    )
