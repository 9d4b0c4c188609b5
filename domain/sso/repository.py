"""Every query of the single-sign-on area."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import Row, bindparam, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.hot import execute
from db.models import Membership, SsoConnection, SsoDomain, User
from domain.enums import Role


class Conflict(Exception):
    """A unique index refused the row (a racing twin claimed or verified the same name)."""


async def count_domains(session: AsyncSession, organization_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count())
        .select_from(SsoDomain)
        .where(SsoDomain.organization_id == organization_id)
    )
    return int(count or 0)


async def claim_of(
    session: AsyncSession, organization_id: uuid.UUID, name: str
) -> SsoDomain | None:
    return await session.scalar(
        select(SsoDomain).where(
            SsoDomain.organization_id == organization_id, SsoDomain.name == name
        )
    )


async def verified_owner(session: AsyncSession, name: str) -> uuid.UUID | None:
    """The organization that has verified ``name``, if any."""
    return await session.scalar(
        select(SsoDomain.organization_id).where(
            SsoDomain.name == name, SsoDomain.verified_at.is_not(None)
        )
    )


async def insert(session: AsyncSession, domain: SsoDomain) -> None:
    try:
        async with session.begin_nested():
            session.add(domain)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict from exc


async def get_domain(session: AsyncSession, domain_id: uuid.UUID) -> SsoDomain | None:
    return await session.get(SsoDomain, domain_id)


async def lock_domain(session: AsyncSession, domain_id: uuid.UUID) -> SsoDomain | None:
    return await session.scalar(
        select(SsoDomain).where(SsoDomain.id == domain_id).with_for_update()
    )


async def mark_verified(session: AsyncSession, domain: SsoDomain, now: datetime) -> None:
    """Set ``verified_at``; the partial unique index refuses a second verified twin."""
    try:
        async with session.begin_nested():
            domain.verified_at = now
            await session.flush()
    except IntegrityError as exc:
        raise Conflict from exc


async def delete_domain(session: AsyncSession, domain: SsoDomain) -> None:
    await session.delete(domain)
    await session.flush()


async def list_domains(session: AsyncSession, organization_id: uuid.UUID) -> list[SsoDomain]:
    rows = await session.scalars(
        select(SsoDomain)
        .where(SsoDomain.organization_id == organization_id)
        .order_by(SsoDomain.name)
    )
    return list(rows)


async def connection_of(session: AsyncSession, organization_id: uuid.UUID) -> SsoConnection | None:
    return await session.scalar(
        select(SsoConnection).where(SsoConnection.organization_id == organization_id)
    )


async def lock_connection_of(
    session: AsyncSession, organization_id: uuid.UUID
) -> SsoConnection | None:
    return await session.scalar(
        select(SsoConnection)
        .where(SsoConnection.organization_id == organization_id)
        .with_for_update()
    )


async def insert_connection(session: AsyncSession, connection: SsoConnection) -> None:
    try:
        async with session.begin_nested():
            session.add(connection)
            await session.flush()
    except IntegrityError as exc:
        raise Conflict from exc


async def delete_connection(session: AsyncSession, connection: SsoConnection) -> None:
    await session.delete(connection)
    await session.flush()


# Home-realm discovery runs on every password login, in the transaction that reads the login
# form's browser session (synchronous, db/sync.py): one statement built once, the connection
# itself loaded only for an address that is routed.
_ROUTE = (
    select(SsoConnection.id, SsoConnection.organization_id, SsoConnection.enforced)
    .join(SsoDomain, SsoDomain.organization_id == SsoConnection.organization_id)
    .where(SsoDomain.name == bindparam("b_domain"), SsoDomain.verified_at.is_not(None))
)


# (connection id, organization id, enforced)
RouteRow = Row[uuid.UUID, uuid.UUID, bool]


async def route_for(session: AsyncSession, email_domain: str) -> RouteRow | None:
    """The connection that a verified domain routes to (home-realm discovery), if any."""
    return (await session.execute(_ROUTE, {"b_domain": email_domain})).first()


def route_for_sync(session: Session, email_domain: str) -> RouteRow | None:
    """``route_for`` in a synchronous transaction."""
    row: RouteRow | None = execute(session, _ROUTE, {"b_domain": email_domain}).first()
    return row


async def get_connection(session: AsyncSession, connection_id: uuid.UUID) -> SsoConnection | None:
    return await session.get(SsoConnection, connection_id)


async def super_admin_with_email(
    session: AsyncSession, organization_id: uuid.UUID, email: str
) -> uuid.UUID | None:
    """The organization's Super Admin's account id, when ``email`` is its address."""
    return await session.scalar(
        select(User.id)
        .join(Membership, Membership.user_id == User.id)
        .where(
            Membership.organization_id == organization_id,
            Membership.role == Role.SUPER_ADMIN,
            User.email == email,
        )
    )
