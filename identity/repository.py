"""Every asynchronous query of the identity provider (clients, consents, token holders), and the
consent lookup of the authorization endpoint (synchronous, in its transaction). The other
synchronous ones live in ``identity/oauth/store.py`` (inside Authlib) and
``identity/sessions_repository.py`` (browser sessions)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import and_, bindparam, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.models import OAuthClient, OAuthConsent, OAuthGrant, User
from domain.enums import UserStatus
from kit.clock import utcnow
from kit.ids import uuid7

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


# Built once, executed on the connection of the authorization endpoint's synchronous transaction.
_CONSENTED_SCOPE = select(OAuthConsent.scope).where(
    OAuthConsent.user_id == bindparam("b_user_id", type_=OAuthConsent.user_id.type),
    OAuthConsent.client_id == bindparam("b_client_id"),
)


def consented_scope(session: Session, user_id: uuid.UUID, client_id: str) -> str | None:
    """What the user allowed the client so far (synchronous: the authorization endpoint reads it
    in the transaction that issues the code, identity/oauth/authorize.py)."""
    result: str | None = (
        session.connection()
        .execute(_CONSENTED_SCOPE, {"b_user_id": user_id, "b_client_id": client_id})
        .scalar()
    )
    return result


async def save_consent(
    session: AsyncSession, user_id: uuid.UUID, client_id: str, scope: str
) -> None:
    """Add ``scope`` to what the user allowed the client (one row per user and client; two
    racing submissions both end up merged into it)."""
    dialect = session.get_bind().dialect.name
    insert = pg_insert if dialect == "postgresql" else sqlite_insert
    now = utcnow()
    await session.execute(
        insert(OAuthConsent)
        .values(
            id=uuid7(),
            user_id=user_id,
            client_id=client_id,
            scope="",
            created_at=now,
            updated_at=now,
        )
        .on_conflict_do_nothing(index_elements=["user_id", "client_id"])
    )
    existing = await session.scalar(
        select(OAuthConsent)
        .where(OAuthConsent.user_id == user_id, OAuthConsent.client_id == client_id)
        .with_for_update()
    )
    assert existing is not None
    existing.scope = " ".join(sorted(set(existing.scope.split()) | set(scope.split())))
    await session.flush()


async def user_email(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    result: str | None = await session.scalar(select(User.email).where(User.id == user_id))
    return result
