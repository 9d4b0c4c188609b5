"""Audit events (the audit log)."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry
from strawberry.scalars import JSON

from db.models import AuditEvent as AuditEventRow
from schema.context import Context
from schema.relay import Connection
from schema.types.service_account import ServiceAccount


def _id(value: object | None) -> strawberry.ID | None:
    return strawberry.ID(str(value)) if value is not None else None


async def _actor_service_account(
    root: AuditEvent, info: strawberry.Info[Context, None]
) -> ServiceAccount | None:
    # The event was already authorized with its organization; the actor's service account (if
    # the actor was one) belongs to it.
    if root.actor_id is None:
        return None
    row = await info.context.loaders.service_account_by_user_id.load(uuid.UUID(root.actor_id))
    return ServiceAccount.from_row(row) if row is not None else None


@strawberry.type(
    description=(
        "A security-relevant action: who (the actor's id and email as they were), where (the "
        "organization), on what (target), from where (client address, user agent, request id) "
        "and when. Append-only: it outlives its subjects."
    )
)
class AuditEvent:
    id: strawberry.ID = strawberry.field(description="The event's id.")
    occurred_at: datetime = strawberry.field(description="When the action happened.")
    action: str = strawberry.field(description="A dotted verb, e.g. `partner_mapping.ended`.")
    actor_id: strawberry.ID | None = strawberry.field(
        description="The acting user's id (null for the system or an anonymous request, e.g. a sign-up)."
    )
    actor_email: str | None = strawberry.field(
        description="The actor's email as it was at the time (kept when the account changes or goes)."
    )
    actor_service_account: ServiceAccount | None = strawberry.field(
        resolver=_actor_service_account,
        description="The service account that acted (its token), when the actor was one.",
    )
    organization_id: strawberry.ID | None = strawberry.field(
        description="The organization the action happened in (null for platform-wide actions)."
    )
    target_type: str | None = strawberry.field(
        description="What kind of object the action was on, e.g. `device`, `user`, `partner_mapping`."
    )
    target_id: str | None = strawberry.field(description="The id of the object the action was on.")
    client_address: str | None = strawberry.field(description="The client's IP address.")
    user_agent: str | None = strawberry.field(description="The client's User-Agent header.")
    request_id: str | None = strawberry.field(
        description="The request's id, to find it in the server logs."
    )
    details: JSON = strawberry.field(description="What else the action recorded (an object).")

    @classmethod
    def from_row(cls, row: AuditEventRow) -> AuditEvent:
        return cls(
            id=strawberry.ID(str(row.id)),
            occurred_at=row.occurred_at,
            action=row.action,
            actor_id=_id(row.actor_user_id),
            actor_email=row.actor_email,
            organization_id=_id(row.organization_id),
            target_type=row.target_type,
            target_id=row.target_id,
            client_address=row.client_address,
            user_agent=row.user_agent,
            request_id=row.request_id,
            details=JSON(row.details or {}),
        )


@strawberry.type(description="A page of audit events.")
class AuditEventConnection(Connection[AuditEvent]):
    pass
