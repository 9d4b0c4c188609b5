"""The audit area's use cases: recording events inside the caller's transaction (so the log and
the change agree), and reading the log.

Reading (issue 5 item 8): an organization's Super Admin and Admins read their own organization's
events, internal admins read any organization's — or every event, organization or not (sign-in
failures, partner requests), when they name none. Filters: action, actor, time. A filter value
that cannot match (an actor id that is not a UUID, an over-long action) simply matches nothing:
it is a search, not an object lookup.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypedDict, Unpack

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import AuditEvent
from domain.audit import repository as repo
from domain.audit.repository import EventFilter
from domain.authz.policy import Action, GlobalAction, require_global
from domain.authz.principal import Principal
from domain.authz.scope import organization_access
from domain.context import RequestMeta
from domain.webhooks.outbox import enqueue_for_event
from kit.clock import utcnow
from kit.ids import parse_uuid, uuid7
from kit.pagination import Page, PageRequest, make_page

# --- recording ------------------------------------------------------------------------------------


class EventFields(TypedDict, total=False):
    """What an event says besides its action and request: who, where, about what, how."""

    actor_user_id: uuid.UUID | None
    actor_email: str | None
    organization_id: uuid.UUID | None
    target_type: str | None
    target_id: uuid.UUID | str | None
    details: dict[str, Any] | None


def entry(
    action: str, *, meta: RequestMeta | None, **fields: Unpack[EventFields]
) -> dict[str, Any]:
    """The row of one event, id and time included: the one builder of every event, stored by
    ``record`` below or, on the synchronous paths of db/sync.py, run with
    ``repository.INSERT_EVENT`` on the session's connection.
    ``action`` is a dotted verb such as ``account.activated``."""
    target_id = fields.get("target_id")
    return {
        "id": uuid7(),
        "occurred_at": utcnow(),
        "action": action,
        "actor_user_id": fields.get("actor_user_id"),
        "actor_email": fields.get("actor_email"),
        "organization_id": fields.get("organization_id"),
        "target_type": fields.get("target_type"),
        "target_id": str(target_id) if target_id is not None else None,
        "client_address": meta.client_address if meta else None,
        "user_agent": meta.user_agent if meta else None,
        "request_id": meta.request_id if meta else None,
        "details": fields.get("details") or {},
    }


def account_entry(
    action: str,
    *,
    user_id: uuid.UUID,
    email: str | None,
    meta: RequestMeta | None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """An event an account causes about itself (its logins, its own two-factor settings): the
    account is actor and target. Such events belong to no organization (an account may be in
    several): internal admins read them."""
    return entry(
        action,
        meta=meta,
        actor_user_id=user_id,
        actor_email=email,
        target_type="user",
        target_id=user_id,
        details=details,
    )


async def _store(session: AsyncSession, row: dict[str, Any]) -> None:
    """Where every event of the asynchronous helpers (``record``, ``record_account``,
    ``record_by``) is stored: the catalogue's events also go to the organization's webhook
    endpoints, in this same transaction (the webhook outbox: domain/webhooks/outbox.py)."""
    await repo.add_event(session, row)
    await enqueue_for_event(session, row)


async def record(
    session: AsyncSession, action: str, *, meta: RequestMeta | None, **fields: Unpack[EventFields]
) -> None:
    """Append one event to the caller's transaction."""
    await _store(session, entry(action, meta=meta, **fields))


async def record_account(
    session: AsyncSession,
    action: str,
    *,
    user_id: uuid.UUID,
    email: str | None,
    meta: RequestMeta | None,
    details: dict[str, Any] | None = None,
) -> None:
    """``account_entry`` (the account about itself) in the caller's transaction."""
    await _store(
        session, account_entry(action, user_id=user_id, email=email, meta=meta, details=details)
    )


async def record_by(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    action: str,
    *,
    target: tuple[str, uuid.UUID | str],
    organization_id: uuid.UUID | None = None,
    details: Mapping[str, Any] | None = None,
) -> None:
    """What the principal did to ``target`` (its type and id), in the organization's log."""
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=organization_id,
        target_type=target[0],
        target_id=target[1],
        details=dict(details) if details is not None else None,
    )


# --- reading --------------------------------------------------------------------------------------


ACTION_MAX = 64


@dataclass(frozen=True, slots=True)
class EventQuery:
    organization_id: str | None = None
    action: str | None = None
    actor_id: str | None = None
    since: datetime | None = None
    until: datetime | None = None


def _aware(moment: datetime | None) -> datetime | None:
    """A time without a zone is read as UTC (the API's times are all UTC)."""
    if moment is None or moment.tzinfo is not None:
        return moment
    return moment.replace(tzinfo=UTC)


async def event_filter(
    session: AsyncSession, principal: Principal, query: EventQuery
) -> EventFilter | None:
    """The filter the principal may read with, or None when it cannot match anything. Raises
    ``NotFound``/``Forbidden`` through the policy."""
    organization_id: uuid.UUID | None
    if query.organization_id is None and principal.is_internal_admin:
        require_global(principal, GlobalAction.AUDIT_READ_ANY)
        organization_id = None
    else:
        access = await organization_access(
            session, principal, query.organization_id, Action.AUDIT_READ, field=("organizationId",)
        )
        organization_id = access.organization_id
    actor = parse_uuid(query.actor_id)
    if query.actor_id is not None and actor is None:
        return None
    action = query.action.strip() if query.action is not None else None
    if action is not None and (not action or len(action) > ACTION_MAX):
        return None
    return EventFilter(
        organization_id=organization_id,
        actions=[action] if action is not None else None,
        actor_user_id=actor,
        since=_aware(query.since),
        until=_aware(query.until),
    )


async def list_events(
    session: AsyncSession, where: EventFilter | None, page: PageRequest
) -> Page[AuditEvent]:
    """A page of events, newest first (``page.after`` is the last, oldest, id of the page
    before)."""
    if where is None:
        return make_page([], page)
    rows = await repo.list_events(session, where, before=page.after, limit=page.first + 1)
    return make_page(rows, page)


async def count_events(session: AsyncSession, where: EventFilter | None) -> int:
    return 0 if where is None else await repo.count_events(session, where)
