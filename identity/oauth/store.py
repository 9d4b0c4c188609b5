"""The SQL that runs inside Authlib's (synchronous) callbacks.

These functions take the *sync* ``Session`` that ``AsyncSession.run_sync`` hands over: each
statement is still executed by the async driver, the greenlet bridge switching back to the event
loop while it waits (see ``server.py``). Every secret is looked up by its SHA-256; races are settled
by conditional updates whose row count says who won.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import exists, select, update
from sqlalchemy.orm import Session

from db.models import (
    AuthorizationCode,
    BrowserSession,
    Membership,
    OAuthGrant,
    Organization,
    RefreshToken,
    User,
)
from domain.enums import OrganizationStatus, UserStatus
from identity.oauth import models


def _rowcount(result: object) -> int:
    count: int = result.rowcount  # type: ignore[attr-defined]  # CursorResult of an UPDATE
    return count


# --- authorization codes -------------------------------------------------------------------------


def save_code(
    session: Session, code_hash: str, code: models.AuthorizationCode, expires_at: datetime
) -> None:
    session.add(
        AuthorizationCode(
            id=code.id,
            code_hash=code_hash,
            client_id=code.client_id,
            user_id=code.user_id,
            redirect_uri=code.redirect_uri,
            scope=code.scope,
            nonce=code.nonce,
            code_challenge=code.code_challenge,
            code_challenge_method=code.code_challenge_method,
            auth_time=code.auth_time,
            amr=code.amr,
            browser_session_id=code.browser_session_id,
            expires_at=expires_at,
        )
    )
    session.flush()


def consume_code(
    session: Session, code_hash: str, client_id: str, now: datetime
) -> models.AuthorizationCode | None:
    """Mark the code used and return it; None when unknown, another client's, expired or used.

    A code that was already used is a replay (RFC 6749 §4.1.2): everything it issued is revoked.
    The row stays as a tombstone (``used_at``) for exactly this check.
    """
    row = session.scalar(select(AuthorizationCode).where(AuthorizationCode.code_hash == code_hash))
    if row is None or row.client_id != client_id:
        return None
    won = _rowcount(
        session.execute(
            update(AuthorizationCode)
            .where(AuthorizationCode.id == row.id, AuthorizationCode.used_at.is_(None))
            .values(used_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if won != 1:
        revoke_grants_of_code(session, row.id, now)
        return None
    if row.expires_at <= now:
        return None
    return models.AuthorizationCode(
        id=row.id,
        client_id=row.client_id,
        user_id=row.user_id,
        redirect_uri=row.redirect_uri,
        scope=row.scope,
        nonce=row.nonce,
        code_challenge=row.code_challenge,
        code_challenge_method=row.code_challenge_method,
        auth_time=row.auth_time,
        amr=row.amr,
        browser_session_id=row.browser_session_id,
    )


def revoke_grants_of_code(session: Session, code_id: uuid.UUID, now: datetime) -> None:
    for grant_id in session.scalars(
        select(OAuthGrant.id).where(OAuthGrant.authorization_code_id == code_id)
    ).all():
        revoke_family(session, grant_id, now)


# --- grants and refresh tokens ------------------------------------------------------------------


def insert_grant(session: Session, grant: OAuthGrant) -> None:
    session.add(grant)
    session.flush()


def insert_refresh_token(session: Session, token: RefreshToken) -> None:
    session.add(token)
    session.flush()


@dataclass(frozen=True, slots=True)
class ConsumedRefreshToken:
    record: models.RefreshTokenRecord
    security_stamp: int


def consume_refresh_token(
    session: Session, token_hash: str, client_id: str, now: datetime
) -> ConsumedRefreshToken | None:
    """Rotate the token out and return it; None when unknown, another client's, revoked or expired.

    Presenting a token that was already rotated out is reuse — a sign that it leaked — and
    revokes the whole family (the grant, every refresh token of it, and with the grant every
    access token, which GraphQL checks).
    """
    row = session.execute(
        select(
            RefreshToken, OAuthGrant.revoked_at, OAuthGrant.expires_at, OAuthGrant.security_stamp
        )
        .join(OAuthGrant, OAuthGrant.id == RefreshToken.family_id)
        .where(RefreshToken.token_hash == token_hash)
    ).first()
    if row is None:
        return None
    token, grant_revoked_at, grant_expires_at, security_stamp = row
    if token.client_id != client_id or token.revoked_at is not None or grant_revoked_at is not None:
        return None
    won = _rowcount(
        session.execute(
            update(RefreshToken)
            .where(
                RefreshToken.id == token.id,
                RefreshToken.rotated_at.is_(None),
                RefreshToken.revoked_at.is_(None),
            )
            .values(rotated_at=now)
            .execution_options(synchronize_session=False)
        )
    )
    if won != 1:
        revoke_family(session, token.family_id, now)
        return None
    if min(token.expires_at, grant_expires_at) <= now:
        return None
    return ConsumedRefreshToken(
        models.RefreshTokenRecord(
            id=token.id,
            family_id=token.family_id,
            client_id=token.client_id,
            user_id=token.user_id,
            scope=token.scope,
            auth_time=token.auth_time,
            amr=token.amr,
            browser_session_id=token.browser_session_id,
            expires_at=token.expires_at,
        ),
        security_stamp,
    )


def find_refresh_family(session: Session, token_hash: str) -> tuple[uuid.UUID, str] | None:
    """(family id, client id) of a refresh token, whatever its state (for revocation)."""
    row = session.execute(
        select(RefreshToken.family_id, RefreshToken.client_id).where(
            RefreshToken.token_hash == token_hash
        )
    ).first()
    return (row.family_id, row.client_id) if row else None


def revoke_family(session: Session, grant_id: uuid.UUID, now: datetime) -> None:
    session.execute(
        update(RefreshToken)
        .where(RefreshToken.family_id == grant_id, RefreshToken.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )
    session.execute(
        update(OAuthGrant)
        .where(OAuthGrant.id == grant_id, OAuthGrant.revoked_at.is_(None))
        .values(revoked_at=now)
        .execution_options(synchronize_session=False)
    )


# --- users ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenUser:
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    security_stamp: int
    updated_at: datetime


def load_token_user(session: Session, user_id: uuid.UUID) -> TokenUser | None:
    """The user, if tokens may still be issued to them: active, in an organization that is not
    suspended (the same rule as login)."""
    usable = (
        select(Membership.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user_id,
            Organization.status != OrganizationStatus.SUSPENDED,
            Organization.deleted_at.is_(None),
        )
    )
    row = session.execute(
        select(
            User.id,
            User.email,
            User.first_name,
            User.last_name,
            User.security_stamp,
            User.updated_at,
        ).where(User.id == user_id, User.status == UserStatus.ACTIVE, exists(usable))
    ).first()
    return TokenUser(*row) if row else None


# --- logout -------------------------------------------------------------------------------------


def end_browser_session(session: Session, session_id: uuid.UUID, now: datetime) -> None:
    """End the session and revoke every grant made through it (RP-initiated logout)."""
    session.execute(
        update(BrowserSession)
        .where(BrowserSession.id == session_id, BrowserSession.ended_at.is_(None))
        .values(ended_at=now)
        .execution_options(synchronize_session=False)
    )
    for grant_id in session.scalars(
        select(OAuthGrant.id).where(
            OAuthGrant.browser_session_id == session_id, OAuthGrant.revoked_at.is_(None)
        )
    ).all():
        revoke_family(session, grant_id, now)


def browser_session_owner(session: Session, session_id: uuid.UUID) -> uuid.UUID | None:
    owner: uuid.UUID | None = session.scalar(
        select(BrowserSession.user_id).where(BrowserSession.id == session_id)
    )
    return owner
