"""Every query of the password login."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Membership, Organization, User
from domain.enums import OrganizationStatus, UserStatus


@dataclass(frozen=True, slots=True)
class LoginCandidate:
    id: uuid.UUID
    email: str
    status: UserStatus
    password_hash: str | None
    login_failures: int
    last_login_failure_at: datetime | None
    security_stamp: int


async def find_candidate(session: AsyncSession, email: str) -> LoginCandidate | None:
    row = (
        await session.execute(
            select(
                User.id,
                User.email,
                User.status,
                User.password_hash,
                User.login_failures,
                User.last_login_failure_at,
                User.security_stamp,
            ).where(User.email == email)
        )
    ).first()
    return LoginCandidate(*row) if row else None


async def reserve_attempt(
    session: AsyncSession, user_id: uuid.UUID, *, seen_failures: int, now: datetime
) -> bool:
    """Count the attempt as a failure *before* the password is checked (success resets it).

    A compare-and-set on the count the caller saw: of several attempts racing on one account,
    only one goes on to the (expensive) verification, so a burst of parallel guesses cannot slip
    past the growing delay.
    """
    result = await session.execute(
        update(User)
        .where(User.id == user_id, User.login_failures == seen_failures)
        .values(login_failures=seen_failures + 1, last_login_failure_at=now)
        .execution_options(synchronize_session=False)
    )
    count: int = result.rowcount  # type: ignore[attr-defined]  # CursorResult of an UPDATE
    return count == 1


async def may_log_in(session: AsyncSession, user_id: uuid.UUID) -> bool:
    """An active user with at least one membership in an organization that is not suspended."""
    usable = (
        select(Membership.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user_id,
            Organization.status != OrganizationStatus.SUSPENDED,
            Organization.deleted_at.is_(None),
        )
    )
    row = await session.scalar(
        select(User.id).where(User.id == user_id, User.status == UserStatus.ACTIVE, exists(usable))
    )
    return row is not None


async def record_success(
    session: AsyncSession, user_id: uuid.UUID, *, now: datetime, new_hash: str | None
) -> None:
    values: dict[str, object] = {"login_failures": 0, "last_login_at": now}
    if new_hash is not None:
        values["password_hash"] = new_hash
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
