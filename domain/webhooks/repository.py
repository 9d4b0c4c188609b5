"""Every query of the webhooks area. Each function runs in the caller's unit of work.

Deliveries are an outbox (like mail/repository.py, whose docstring explains the two rules that
keep a row with one worker): a claim is a write transaction that no other claimer interleaves with
(PostgreSQL ``FOR UPDATE SKIP LOCKED``; SQLite's write lock), and every later change is
conditional on still holding the lease.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import CursorResult, Result, and_, delete, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.sql.elements import ColumnElement

from db.enums import Role, UserStatus, WebhookDeliveryStatus
from db.models import Membership, Organization, User, WebhookDelivery, WebhookEndpoint
from kit.pagination import PageRequest

PENDING = WebhookDeliveryStatus.PENDING


def _rowcount(result: Result[Any]) -> int:
    return int(cast(CursorResult[Any], result).rowcount)


# --- endpoints ---------------------------------------------------------------------------------


async def endpoints_of(session: AsyncSession, organization_id: uuid.UUID) -> list[WebhookEndpoint]:
    return list(
        await session.scalars(
            select(WebhookEndpoint)
            .where(WebhookEndpoint.organization_id == organization_id)
            .order_by(WebhookEndpoint.id)
        )
    )


async def get_endpoint(
    session: AsyncSession, endpoint_id: uuid.UUID, *, lock: bool = False
) -> WebhookEndpoint | None:
    query = select(WebhookEndpoint).where(WebhookEndpoint.id == endpoint_id)
    if lock:
        query = query.with_for_update()
    return await session.scalar(query)


async def count_endpoints(session: AsyncSession, organization_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(WebhookEndpoint)
            .where(WebhookEndpoint.organization_id == organization_id)
        )
        or 0
    )


async def subscribed_endpoint_ids(
    session: AsyncSession, organization_id: uuid.UUID, event_type: str
) -> list[uuid.UUID]:
    """The enabled endpoints of the organization that want ``event_type``. The list of types is
    JSON (portable across engines), filtered here: an organization has a handful of endpoints."""
    rows = (
        await session.execute(
            select(WebhookEndpoint.id, WebhookEndpoint.event_types).where(
                WebhookEndpoint.organization_id == organization_id,
                WebhookEndpoint.enabled.is_(True),
            )
        )
    ).all()
    return [row.id for row in rows if event_type in (row.event_types or [])]


async def delete_endpoint(session: AsyncSession, endpoint_id: uuid.UUID) -> None:
    # The deliveries go first: SQLite enforces the cascade only with foreign keys turned on.
    await session.execute(
        delete(WebhookDelivery)
        .where(WebhookDelivery.endpoint_id == endpoint_id)
        .execution_options(synchronize_session=False)
    )
    await session.execute(
        delete(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id)
        .execution_options(synchronize_session=False)
    )


# --- deliveries: the log -------------------------------------------------------------------------


async def deliveries_of(
    session: AsyncSession, endpoint_id: uuid.UUID, page: PageRequest
) -> list[WebhookDelivery]:
    """Newest first, ``first + 1`` rows; ``page.after`` is the id of the last row shown."""
    query = select(WebhookDelivery).where(WebhookDelivery.endpoint_id == endpoint_id)
    if page.after is not None:
        query = query.where(WebhookDelivery.id < page.after)
    return list(
        await session.scalars(query.order_by(WebhookDelivery.id.desc()).limit(page.first + 1))
    )


async def get_delivery(session: AsyncSession, delivery_id: uuid.UUID) -> WebhookDelivery | None:
    return await session.scalar(select(WebhookDelivery).where(WebhookDelivery.id == delivery_id))


# --- deliveries: the worker ----------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Claimed:
    id: uuid.UUID
    endpoint_id: uuid.UUID
    organization_id: uuid.UUID
    message_id: str
    payload: str
    attempts: int
    created_at: datetime
    url: str
    sealed_secret: str
    sealed_previous_secret: str | None
    previous_secret_expires_at: datetime | None


def _due(now: datetime) -> ColumnElement[bool]:
    return and_(
        WebhookDelivery.status == PENDING,
        WebhookDelivery.available_at <= now,
        or_(WebhookDelivery.leased_until.is_(None), WebhookDelivery.leased_until < now),
    )


async def claim(
    session: AsyncSession, *, owner: str, limit: int, lease: timedelta, now: datetime
) -> list[Claimed]:
    """Lease up to ``limit`` due deliveries of enabled endpoints, oldest first, to ``owner``."""
    due = (
        await session.scalars(
            select(WebhookDelivery.id)
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(_due(now), WebhookEndpoint.enabled.is_(True))
            .order_by(WebhookDelivery.available_at, WebhookDelivery.id)
            .limit(limit)
            # Only the delivery rows are locked: the endpoint rows are shared by many.
            .with_for_update(of=WebhookDelivery, skip_locked=True)
        )
    ).all()
    if not due:
        return []
    await session.execute(
        update(WebhookDelivery)
        .where(WebhookDelivery.id.in_(due))
        .values(leased_until=now + lease, lease_owner=owner)
        .execution_options(synchronize_session=False)
    )
    rows = (
        await session.execute(
            select(
                WebhookDelivery.id,
                WebhookDelivery.endpoint_id,
                WebhookDelivery.organization_id,
                WebhookDelivery.message_id,
                WebhookDelivery.payload,
                WebhookDelivery.attempts,
                WebhookDelivery.created_at,
                WebhookEndpoint.url,
                WebhookEndpoint.sealed_secret,
                WebhookEndpoint.sealed_previous_secret,
                WebhookEndpoint.previous_secret_expires_at,
            )
            .join(WebhookEndpoint, WebhookEndpoint.id == WebhookDelivery.endpoint_id)
            .where(WebhookDelivery.id.in_(due))
            .order_by(WebhookDelivery.available_at, WebhookDelivery.id)
        )
    ).all()
    return [Claimed(*row) for row in rows]


def _held(delivery_id: uuid.UUID, owner: str) -> ColumnElement[bool]:
    return and_(
        WebhookDelivery.id == delivery_id,
        WebhookDelivery.lease_owner == owner,
        WebhookDelivery.status == PENDING,
    )


async def record_attempt(
    session: AsyncSession,
    *,
    owner: str,
    delivery: Claimed,
    now: datetime,
    status: WebhookDeliveryStatus,
    response_status: int | None,
    duration_ms: int,
    error: str | None,
    retry_at: datetime | None,
) -> bool:
    """One attempt's outcome, if the lease is still ours."""
    values: dict[str, object] = {
        "status": status,
        "attempts": delivery.attempts + 1,
        "response_status": response_status,
        "duration_ms": duration_ms,
        "last_error": error[:500] if error else None,
        "last_attempt_at": now,
        "leased_until": None,
        "lease_owner": None,
    }
    if status is WebhookDeliveryStatus.SUCCEEDED:
        values["delivered_at"] = now
    if retry_at is not None:
        values["available_at"] = retry_at
    result = await session.execute(
        update(WebhookDelivery)
        .where(_held(delivery.id, owner))
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) > 0


async def endpoint_succeeded(session: AsyncSession, endpoint_id: uuid.UUID) -> None:
    await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.failing_since.is_not(None))
        .values(failing_since=None)
        .execution_options(synchronize_session=False)
    )


async def endpoint_failed(
    session: AsyncSession, endpoint_id: uuid.UUID, *, now: datetime, disable_before: datetime
) -> bool:
    """Note a failure; disable the endpoint when it has failed since before ``disable_before``.
    True when this call disabled it (exactly one caller sees True: the update is conditional)."""
    await session.execute(
        update(WebhookEndpoint)
        .where(WebhookEndpoint.id == endpoint_id, WebhookEndpoint.failing_since.is_(None))
        .values(failing_since=now)
        .execution_options(synchronize_session=False)
    )
    result = await session.execute(
        update(WebhookEndpoint)
        .where(
            WebhookEndpoint.id == endpoint_id,
            WebhookEndpoint.enabled.is_(True),
            WebhookEndpoint.failing_since < disable_before,
        )
        .values(enabled=False, disabled_reason="FAILING")
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result) > 0


async def release(
    session: AsyncSession, *, owner: str, ids: Sequence[uuid.UUID] | None = None
) -> int:
    """Give leases back without spending an attempt (stopping)."""
    conditions = [WebhookDelivery.lease_owner == owner, WebhookDelivery.status == PENDING]
    if ids is not None:
        if not ids:
            return 0
        conditions.append(WebhookDelivery.id.in_(list(ids)))
    result = await session.execute(
        update(WebhookDelivery)
        .where(*conditions)
        .values(leased_until=None, lease_owner=None)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def purge(session: AsyncSession, *, before: datetime) -> int:
    """Deliveries created before ``before`` (the retention, far past the give-up time: a row
    still PENDING then waits for an endpoint disabled ever since)."""
    result = await session.execute(
        delete(WebhookDelivery)
        .where(WebhookDelivery.created_at < before)
        .execution_options(synchronize_session=False)
    )
    return _rowcount(result)


async def admins_to_tell(
    session: AsyncSession, organization_id: uuid.UUID
) -> tuple[str, list[tuple[str, str]]]:
    """The organization's name and its active Super Admin's and Admins' (email, first name)."""
    name = await session.scalar(select(Organization.name).where(Organization.id == organization_id))
    rows = await session.execute(
        select(User.email, User.first_name)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.role.in_([Role.SUPER_ADMIN, Role.ADMIN]),
            User.status == UserStatus.ACTIVE,
        )
        .order_by(User.email)
    )
    return name or "", [(row.email, row.first_name) for row in rows.all()]


async def count_deliveries(session: AsyncSession, endpoint_id: uuid.UUID) -> int:
    return int(
        await session.scalar(
            select(func.count())
            .select_from(WebhookDelivery)
            .where(WebhookDelivery.endpoint_id == endpoint_id)
        )
        or 0
    )
