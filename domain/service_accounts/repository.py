"""Every query of the service-account area."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, func, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncSession
from sqlalchemy.orm import Session

from db.models import Organization, ServiceAccount, User
from db.types import UTCDateTime
from domain.authz.acting import usable_organization
from domain.enums import OrganizationType, Role, UserStatus
from kit.pagination import PageRequest


class NameTaken(Exception):
    """A live service account of the organization already has this name (the unique index)."""


def _live(organization_id: uuid.UUID) -> tuple[Any, ...]:
    return (
        ServiceAccount.organization_id == organization_id,
        ServiceAccount.revoked_at.is_(None),
    )


async def count_live(session: AsyncSession, organization_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(ServiceAccount).where(*_live(organization_id))
    )
    return int(count or 0)


async def name_taken(session: AsyncSession, organization_id: uuid.UUID, name_key: str) -> bool:
    found = await session.scalar(
        select(ServiceAccount.id).where(
            *_live(organization_id), ServiceAccount.name_key == name_key
        )
    )
    return found is not None


async def insert(session: AsyncSession, user: User, account: ServiceAccount) -> None:
    """The backing account and the service account; a racing twin's name is ``NameTaken``."""
    try:
        async with session.begin_nested():
            session.add(user)
            await session.flush()
            session.add(account)
            await session.flush()
    except IntegrityError as exc:
        raise NameTaken from exc


async def lock_live(session: AsyncSession, service_account_id: uuid.UUID) -> ServiceAccount | None:
    account: ServiceAccount | None = await session.scalar(
        select(ServiceAccount)
        .where(ServiceAccount.id == service_account_id, ServiceAccount.revoked_at.is_(None))
        .with_for_update()
    )
    return account


async def organization_of(session: AsyncSession, service_account_id: uuid.UUID) -> uuid.UUID | None:
    """The organization of a live service account (for the caller's access check first)."""
    found: uuid.UUID | None = await session.scalar(
        select(ServiceAccount.organization_id).where(
            ServiceAccount.id == service_account_id, ServiceAccount.revoked_at.is_(None)
        )
    )
    return found


async def disable_backing_user(session: AsyncSession, user_id: uuid.UUID, now: datetime) -> None:
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(
            status=UserStatus.DISABLED,
            security_stamp=User.security_stamp + 1,
            updated_at=now,
        )
        .execution_options(synchronize_session=False)
    )


async def list_live(
    session: AsyncSession, organization_id: uuid.UUID, page: PageRequest
) -> list[ServiceAccount]:
    """One page (``first + 1`` rows), oldest first."""
    query = (
        select(ServiceAccount)
        .where(*_live(organization_id))
        .order_by(ServiceAccount.id)
        .limit(page.first + 1)
    )
    if page.after is not None:
        query = query.where(ServiceAccount.id > page.after)
    return list((await session.scalars(query)).all())


async def service_accounts_by_user_ids(
    session: AsyncSession, user_ids: list[uuid.UUID]
) -> dict[uuid.UUID, ServiceAccount]:
    rows = await session.scalars(select(ServiceAccount).where(ServiceAccount.user_id.in_(user_ids)))
    return {row.user_id: row for row in rows}


# --- the token endpoint and the GraphQL principal -----------------------------------------------


@dataclass(frozen=True, slots=True)
class Credentials:
    """What the token endpoint needs to authenticate a service account and issue its token."""

    id: uuid.UUID
    client_id: str
    name: str
    secret_hash: str
    secret_version: int
    user_id: uuid.UUID
    organization_id: uuid.UUID
    role: Role
    # The organization is neither suspended nor deleted.
    usable: bool


_CREDENTIALS = (
    select(
        ServiceAccount.id,
        ServiceAccount.client_id,
        ServiceAccount.name,
        ServiceAccount.secret_hash,
        ServiceAccount.secret_version,
        ServiceAccount.user_id,
        ServiceAccount.organization_id,
        ServiceAccount.role,
        usable_organization().label("usable"),
    )
    .join(Organization, Organization.id == ServiceAccount.organization_id)
    .where(
        ServiceAccount.client_id == bindparam("b_client_id"),
        ServiceAccount.revoked_at.is_(None),
    )
)


async def credentials(session: AsyncSession, client_id: str) -> Credentials | None:
    """A live service account by client id, read fresh on every token request: a rotation or a
    revocation takes effect at once in every process (no cache, unlike OAuth clients)."""
    row = (await session.execute(_CREDENTIALS, {"b_client_id": client_id})).first()
    return Credentials(*row) if row else None


_MARK_USED = (
    update(ServiceAccount)
    .where(
        ServiceAccount.id == bindparam("b_id", type_=ServiceAccount.id.type),
        ServiceAccount.revoked_at.is_(None),
        ServiceAccount.secret_version == bindparam("b_version"),
    )
    .values(last_used_at=bindparam("b_now", type_=UTCDateTime()))
)


def mark_used(session: Session, credentials: Credentials, now: datetime) -> bool:
    """Record the use, only while the secret that was checked is still the live one: a
    revocation or rotation that committed after the lookup wins (False)."""
    result = session.connection().execute(
        _MARK_USED,
        {"b_id": credentials.id, "b_version": credentials.secret_version, "b_now": now},
    )
    return bool(result.rowcount == 1)


@dataclass(frozen=True, slots=True)
class Acting:
    """A service account as a GraphQL principal: who it is, and its one organization."""

    user_id: uuid.UUID
    email: str
    client_id: str
    secret_version: int
    organization_id: uuid.UUID
    organization_type: OrganizationType
    role: Role
    usable: bool


_ACTING = (
    select(
        ServiceAccount.user_id,
        User.email,
        ServiceAccount.client_id,
        ServiceAccount.secret_version,
        ServiceAccount.organization_id,
        Organization.type,
        ServiceAccount.role,
        usable_organization().label("usable"),
    )
    .join(Organization, Organization.id == ServiceAccount.organization_id)
    .join(User, User.id == ServiceAccount.user_id)
    .where(
        ServiceAccount.id == bindparam("b_id", type_=ServiceAccount.id.type),
        ServiceAccount.revoked_at.is_(None),
        User.status == UserStatus.ACTIVE,
    )
)


async def acting(connection: AsyncConnection, service_account_id: uuid.UUID) -> Acting | None:
    """The live service account behind a token, fresh per request (one statement)."""
    row = (await connection.execute(_ACTING, {"b_id": service_account_id})).first()
    return Acting(*row) if row else None
