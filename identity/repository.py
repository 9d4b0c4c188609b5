"""Every asynchronous query of the identity provider (browser sessions, clients, grants,
consents). The synchronous ones that run inside Authlib live in ``identity/oauth/store.py``."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import BrowserSession, OAuthClient, OAuthConsent, OAuthGrant, User
from domain.context import RequestMeta
from domain.enums import UserStatus

# --- browser sessions ----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class BrowserSessionRow:
    id: uuid.UUID
    user_id: uuid.UUID | None
    authenticated_at: datetime | None
    amr: str | None
    created_at: datetime
    last_seen_at: datetime
    expires_at: datetime
    ended_at: datetime | None
    data: dict[str, Any] | None
    # The user is active and has the security stamp the session was made under.
    user_is_current: bool


async def find_browser_session(session: AsyncSession, token_hash: str) -> BrowserSessionRow | None:
    row = (
        await session.execute(
            select(
                BrowserSession.id,
                BrowserSession.user_id,
                BrowserSession.authenticated_at,
                BrowserSession.amr,
                BrowserSession.created_at,
                BrowserSession.last_seen_at,
                BrowserSession.expires_at,
                BrowserSession.ended_at,
                BrowserSession.data,
                BrowserSession.security_stamp,
                User.status,
                User.security_stamp.label("user_stamp"),
            )
            .outerjoin(User, User.id == BrowserSession.user_id)
            .where(BrowserSession.token_hash == token_hash)
        )
    ).first()
    if row is None:
        return None
    current = row.status is UserStatus.ACTIVE and row.security_stamp == row.user_stamp
    return BrowserSessionRow(
        id=row.id,
        user_id=row.user_id,
        authenticated_at=row.authenticated_at,
        amr=row.amr,
        created_at=row.created_at,
        last_seen_at=row.last_seen_at,
        expires_at=row.expires_at,
        ended_at=row.ended_at,
        data=row.data,
        user_is_current=current,
    )


async def insert_browser_session(
    session: AsyncSession,
    *,
    token_hash: str,
    user_id: uuid.UUID | None,
    security_stamp: int | None,
    authenticated_at: datetime | None,
    amr: str | None,
    now: datetime,
    expires_at: datetime,
    data: dict[str, Any],
    meta: RequestMeta,
) -> BrowserSession:
    row = BrowserSession(
        token_hash=token_hash,
        user_id=user_id,
        security_stamp=security_stamp,
        authenticated_at=authenticated_at,
        amr=amr,
        created_at=now,
        last_seen_at=now,
        expires_at=expires_at,
        data=data,
        client_address=meta.client_address,
        user_agent=meta.user_agent,
    )
    session.add(row)
    await session.flush()
    return row


async def touch_browser_session(
    session: AsyncSession, session_id: uuid.UUID, now: datetime
) -> None:
    await session.execute(
        update(BrowserSession)
        .where(BrowserSession.id == session_id)
        .values(last_seen_at=now)
        .execution_options(synchronize_session=False)
    )


async def set_browser_session_data(
    session: AsyncSession, session_id: uuid.UUID, data: dict[str, Any]
) -> None:
    await session.execute(
        update(BrowserSession)
        .where(BrowserSession.id == session_id)
        .values(data=data)
        .execution_options(synchronize_session=False)
    )


async def end_browser_session(session: AsyncSession, session_id: uuid.UUID, now: datetime) -> None:
    """End a session replaced at login (logout goes through identity/oauth/store.py, which also
    revokes the session's grants)."""
    await session.execute(
        update(BrowserSession)
        .where(BrowserSession.id == session_id, BrowserSession.ended_at.is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )


# --- grants --------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenHolder:
    """The user behind a live access token, for userinfo."""

    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    updated_at: datetime
    activated_at: datetime | None
    security_stamp: int


async def live_token_holder(
    session: AsyncSession, user_id: uuid.UUID, grant_id: uuid.UUID | None, now: datetime
) -> TokenHolder | None:
    """The active user, if the grant the token belongs to is neither revoked nor expired."""
    query = select(
        User.id,
        User.email,
        User.first_name,
        User.last_name,
        User.updated_at,
        User.activated_at,
        User.security_stamp,
    ).where(User.id == user_id, User.status == UserStatus.ACTIVE)
    if grant_id is not None:
        query = query.join(
            OAuthGrant,
            and_(
                OAuthGrant.id == grant_id,
                OAuthGrant.user_id == User.id,
                OAuthGrant.revoked_at.is_(None),
                OAuthGrant.expires_at > now,
            ),
        )
    row = (await session.execute(query)).first()
    return TokenHolder(*row) if row else None


# --- clients and consents ------------------------------------------------------------------------


async def find_client(session: AsyncSession, client_id: str) -> OAuthClient | None:
    result: OAuthClient | None = await session.scalar(
        select(OAuthClient).where(OAuthClient.client_id == client_id)
    )
    return result


async def insert_client(session: AsyncSession, client: OAuthClient) -> OAuthClient:
    session.add(client)
    await session.flush()
    return client


async def consented_scope(session: AsyncSession, user_id: uuid.UUID, client_id: str) -> str | None:
    result: str | None = await session.scalar(
        select(OAuthConsent.scope).where(
            OAuthConsent.user_id == user_id, OAuthConsent.client_id == client_id
        )
    )
    return result


async def save_consent(
    session: AsyncSession, user_id: uuid.UUID, client_id: str, scope: str
) -> None:
    existing = await session.scalar(
        select(OAuthConsent)
        .where(OAuthConsent.user_id == user_id, OAuthConsent.client_id == client_id)
        .with_for_update()
    )
    if existing is None:
        session.add(OAuthConsent(user_id=user_id, client_id=client_id, scope=scope))
    else:
        merged = sorted(set(existing.scope.split()) | set(scope.split()))
        existing.scope = " ".join(merged)
    await session.flush()


async def user_email(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    result: str | None = await session.scalar(select(User.email).where(User.id == user_id))
    return result
