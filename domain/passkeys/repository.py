"""Every query of the passkeys area (async: its use cases run in a unit of work; the hosted login
pages call them the same way, see domain/passkeys/login.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ColumnElement, Exists, delete, exists, func, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import QueryableAttribute

from db.models import Membership, Organization, Passkey, PasskeyChallenge
from domain.authz.acting import usable_organization


async def insert_challenge(
    session: AsyncSession,
    *,
    challenge_hash: str,
    purpose: str,
    user_id: uuid.UUID | None,
    now: datetime,
    expires_at: datetime,
) -> None:
    session.add(
        PasskeyChallenge(
            challenge_hash=challenge_hash,
            purpose=purpose,
            user_id=user_id,
            created_at=now,
            expires_at=expires_at,
        )
    )
    await session.flush()


async def spend_challenge(
    session: AsyncSession,
    challenge_hash: str,
    *,
    purpose: str,
    user_id: uuid.UUID | None,
    now: datetime,
) -> str | None:
    """Spend the challenge the browser signed: None when it was live, unspent, for this purpose
    (and account); else why not (``unknown``, ``replayed``, ``expired``, ``wrong_purpose``). A
    conditional UPDATE: of two requests with one challenge, one wins."""
    conditions = [
        PasskeyChallenge.challenge_hash == challenge_hash,
        PasskeyChallenge.purpose == purpose,
        PasskeyChallenge.used_at.is_(None),
        PasskeyChallenge.expires_at > now,
    ]
    if user_id is not None:
        conditions.append(PasskeyChallenge.user_id == user_id)
    result = await session.execute(update(PasskeyChallenge).where(*conditions).values(used_at=now))
    if result.rowcount == 1:  # type: ignore[attr-defined]
        return None
    row = (
        await session.execute(
            select(
                PasskeyChallenge.purpose,
                PasskeyChallenge.user_id,
                PasskeyChallenge.used_at,
                PasskeyChallenge.expires_at,
            ).where(PasskeyChallenge.challenge_hash == challenge_hash)
        )
    ).first()
    if row is None:
        return "unknown"
    if row.used_at is not None:
        return "replayed"
    if row.expires_at <= now:
        return "expired"
    return "wrong_purpose"


async def passkeys_of(session: AsyncSession, user_id: uuid.UUID) -> list[Passkey]:
    rows = await session.scalars(
        select(Passkey).where(Passkey.user_id == user_id).order_by(Passkey.created_at, Passkey.id)
    )
    return list(rows)


async def count_of(session: AsyncSession, user_id: uuid.UUID) -> int:
    count = await session.scalar(
        select(func.count()).select_from(Passkey).where(Passkey.user_id == user_id)
    )
    return int(count or 0)


async def by_credential_id(session: AsyncSession, credential_id: str) -> Passkey | None:
    passkey: Passkey | None = await session.scalar(
        select(Passkey).where(Passkey.credential_id == credential_id)
    )
    return passkey


async def owned(session: AsyncSession, user_id: uuid.UUID, passkey_id: uuid.UUID) -> Passkey | None:
    """The account's passkey, locked for the change (another account's looks missing)."""
    passkey: Passkey | None = await session.scalar(
        select(Passkey)
        .where(Passkey.id == passkey_id, Passkey.user_id == user_id)
        .with_for_update()
    )
    return passkey


async def record_use(
    session: AsyncSession,
    passkey_id: uuid.UUID,
    *,
    seen_count: int,
    new_count: int,
    backed_up: bool,
    now: datetime,
) -> bool:
    """Store the new counter if it is still the one the check compared against (two sign-ins
    with one authenticator at once: one wins, the other looks like a counter that went back)."""
    result = await session.execute(
        update(Passkey)
        .where(Passkey.id == passkey_id, Passkey.sign_count == seen_count)
        .values(sign_count=new_count, backed_up=backed_up, last_used_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def remove(session: AsyncSession, passkey_id: uuid.UUID) -> None:
    await session.execute(delete(Passkey).where(Passkey.id == passkey_id))


def requirement_exists(user_id: ColumnElement[uuid.UUID] | uuid.UUID) -> Exists:
    """Whether a live organization of the user requires phishing-resistant sign-in."""
    return exists(
        select(Membership.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user_id,
            Organization.require_passkey.is_(True),
            usable_organization(),
        )
    )


def has_passkey(
    user_id: ColumnElement[uuid.UUID] | QueryableAttribute[uuid.UUID] | uuid.UUID,
) -> Exists:
    return exists(select(Passkey.id).where(Passkey.user_id == user_id))


async def required_for(session: AsyncSession, user_id: uuid.UUID) -> bool:
    return bool(await session.scalar(select(requirement_exists(user_id))))


async def set_requirement(
    session: AsyncSession, organization_id: uuid.UUID, required: bool
) -> bool:
    result = await session.execute(
        update(Organization)
        .where(Organization.id == organization_id, Organization.require_passkey.is_not(required))
        .values(require_passkey=required)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
