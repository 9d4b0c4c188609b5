"""Audit events (the audit log)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry
from strawberry.scalars import JSON

from db.models import AuditEvent as AuditEventRow
from domain.audit.service import EventQuery, count_events, event_filter, list_events
from schema.arguments import AFTER, FIRST
from schema.context import Context, context_of
from schema.paging import page_args
from schema.relay import Connection, make_connection
from schema.types.service_accounts import ServiceAccount


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


# --- list resolvers shared by Query (resolvers/audit.py) and other types' edges


async def audit_events(
    info: strawberry.Info,
    organization_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="Whose events: defaults to the working organization (internal admins: every organization's)."
        ),
    ] = None,
    action: Annotated[
        str | None,
        strawberry.argument(description="Only this action, exactly, e.g. `member.removed`."),
    ] = None,
    actor_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(description="Only events of this actor (a user id)."),
    ] = None,
    since: Annotated[
        datetime | None,
        strawberry.argument(description="Only events at or after this instant (inclusive)."),
    ] = None,
    until: Annotated[
        datetime | None,
        strawberry.argument(description="Only events before this instant (exclusive)."),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> AuditEventConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    query = EventQuery(
        organization_id=organization_id, action=action, actor_id=actor_id, since=since, until=until
    )
    db = ctx.services.db
    async with db.read_session() as session:
        where = await event_filter(session, principal, query)
        rows = await list_events(session, where, page)

    async def count() -> int:
        async with db.read_session() as session:
            return await count_events(session, where)

    return make_connection(AuditEventConnection, rows, AuditEvent.from_row, count)
