"""The SQL that runs inside Authlib's (synchronous) callbacks.

These functions take the sync ``Session`` of an exchange (db/sync.py). Every secret is looked up by
its SHA-256; races are settled by conditional updates (``UPDATE … WHERE used_at IS NULL
RETURNING …``: whoever gets the row won).

The statements of the token endpoint's hot path (one code exchange, one refresh) are built once,
with bind parameters, and executed on the session's connection: constructing and cache-keying a
statement costs more CPU than SQLite takes to run it (bench/bench_refresh.py).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, bindparam, exists, insert, select, update
from sqlalchemy.orm import Session

from db.hot import execute
from db.models import (
    AuthorizationCode,
    BrowserSession,
    OAuthGrant,
    RefreshToken,
    User,
)
from db.types import UTCDateTime
from domain.authz.acting import may_act
from identity.oauth import models
from kit.crypto import sha256_hex
from kit.ids import uuid7

_NOW = bindparam("b_now", type_=UTCDateTime())

# --- authorization codes -------------------------------------------------------------------------

_INSERT_CODE = insert(AuthorizationCode)

CONSUME_CODE = (
    update(AuthorizationCode)
    .where(
        AuthorizationCode.code_hash == bindparam("b_code_hash"),
        AuthorizationCode.client_id == bindparam("b_client_id"),
        AuthorizationCode.used_at.is_(None),
    )
    .values(used_at=_NOW)
    .returning(
        AuthorizationCode.id,
        AuthorizationCode.user_id,
        AuthorizationCode.redirect_uri,
        AuthorizationCode.scope,
        AuthorizationCode.nonce,
        AuthorizationCode.code_challenge,
        AuthorizationCode.code_challenge_method,
        AuthorizationCode.auth_time,
        AuthorizationCode.amr,
        AuthorizationCode.browser_session_id,
        AuthorizationCode.expires_at,
    )
)


def save_code(
    session: Session, code_hash: str, code: models.AuthorizationCode, expires_at: datetime
) -> None:
    execute(
        session,
        _INSERT_CODE,
        {
            "id": code.id,
            "code_hash": code_hash,
            "client_id": code.client_id,
            "user_id": code.user_id,
            "redirect_uri": code.redirect_uri,
            "scope": code.scope,
            "nonce": code.nonce,
            "code_challenge": code.code_challenge,
            "code_challenge_method": code.code_challenge_method,
            "auth_time": code.auth_time,
            "amr": code.amr,
            "browser_session_id": code.browser_session_id,
            "expires_at": expires_at,
        },
    )


def consume_code(
    session: Session, code_hash: str, client_id: str, now: datetime
) -> models.AuthorizationCode | None:
    """Mark the code used and return it; None when unknown, another client's, expired or used.

    A code that was already used is a replay (RFC 6749 §4.1.2): everything it issued is revoked.
    The row stays as a tombstone (``used_at``) for exactly this check.
    """
    row = (
        session.connection()
        .execute(CONSUME_CODE, {"b_code_hash": code_hash, "b_client_id": client_id, "b_now": now})
        .first()
    )
    if row is None:
        used = session.execute(
            select(AuthorizationCode.id).where(
                AuthorizationCode.code_hash == code_hash,
                AuthorizationCode.client_id == client_id,
                AuthorizationCode.used_at.is_not(None),
            )
        ).first()
        if used is not None:
            revoke_grants_of_code(session, used.id, now)
        return None
    code, expires_at = consumed_code(row, client_id)
    return None if expires_at <= now else code


def consumed_code(row: Sequence[Any], client_id: str) -> tuple[models.AuthorizationCode, datetime]:
    """The code ``CONSUME_CODE`` marked used (its RETURNING columns, in order), and when it
    expired or expires."""
    (
        code_id, user_id, redirect_uri, scope, nonce, code_challenge, code_challenge_method,
        auth_time, amr, browser_session_id, expires_at,
    ) = row  # fmt: skip
    code = models.AuthorizationCode(
        id=code_id,
        client_id=client_id,
        user_id=user_id,
        redirect_uri=redirect_uri,
        scope=scope,
        nonce=nonce,
        code_challenge=code_challenge,
        code_challenge_method=code_challenge_method,
        auth_time=auth_time,
        amr=amr,
        browser_session_id=browser_session_id,
    )
    return code, expires_at


def revoke_grants_of_code(session: Session, code_id: uuid.UUID, now: datetime) -> None:
    for grant_id in session.scalars(
        select(OAuthGrant.id).where(OAuthGrant.authorization_code_id == code_id)
    ).all():
        revoke_family(session, grant_id, now)


# --- grants and refresh tokens ------------------------------------------------------------------

INSERT_GRANT = insert(OAuthGrant)
INSERT_REFRESH_TOKEN = insert(RefreshToken)

ROTATE = (
    update(RefreshToken)
    .where(
        RefreshToken.token_hash == bindparam("b_token_hash"),
        RefreshToken.client_id == bindparam("b_client_id"),
        RefreshToken.rotated_at.is_(None),
        RefreshToken.revoked_at.is_(None),
    )
    .values(rotated_at=_NOW)
    .returning(
        RefreshToken.id,
        RefreshToken.family_id,
        RefreshToken.user_id,
        RefreshToken.scope,
        RefreshToken.auth_time,
        RefreshToken.amr,
        RefreshToken.browser_session_id,
        RefreshToken.expires_at,
    )
)


def grant_row(
    *,
    grant_id: uuid.UUID,
    client_id: str,
    user: TokenUser,
    scope: str,
    code: models.AuthorizationCode,
    expires_at: datetime,
    now: datetime,
) -> dict[str, Any]:
    """The row of the grant a redeemed ``code`` starts, every column given (``GRANT_COLUMNS``)."""
    return {
        "id": grant_id,
        "client_id": client_id,
        "user_id": user.id,
        "scope": scope,
        "authorization_code_id": code.id,
        "browser_session_id": code.browser_session_id,
        "auth_time": code.auth_time,
        "amr": code.amr,
        "security_stamp": user.security_stamp,
        "expires_at": expires_at,
        "created_at": now,
    }


GRANT_COLUMNS = (
    "id", "client_id", "user_id", "scope", "authorization_code_id", "browser_session_id",
    "auth_time", "amr", "security_stamp", "expires_at", "created_at",
)  # fmt: skip


def insert_grant(session: Session, row: dict[str, Any]) -> None:
    session.connection().execute(INSERT_GRANT, row)


def refresh_token_row(
    token: str,
    *,
    family_id: uuid.UUID,
    parent_id: uuid.UUID | None,
    code_id: uuid.UUID | None,
    client_id: str,
    user_id: uuid.UUID,
    scope: str,
    auth_time: datetime,
    amr: str | None,
    browser_session_id: uuid.UUID | None,
    expires_at: datetime,
    now: datetime,
) -> dict[str, Any]:
    """The row of a newly issued refresh token (stored by its SHA-256), every column given
    (``REFRESH_TOKEN_COLUMNS``): the first of a family or the child of ``parent_id``."""
    return {
        "id": uuid7(),
        "token_hash": sha256_hex(token),
        "family_id": family_id,
        "parent_id": parent_id,
        "authorization_code_id": code_id,
        "client_id": client_id,
        "user_id": user_id,
        "scope": scope,
        "auth_time": auth_time,
        "amr": amr,
        "browser_session_id": browser_session_id,
        "expires_at": expires_at,
        "created_at": now,
    }


REFRESH_TOKEN_COLUMNS = (
    "id", "token_hash", "family_id", "parent_id", "authorization_code_id", "client_id",
    "user_id", "scope", "auth_time", "amr", "browser_session_id", "expires_at", "created_at",
)  # fmt: skip


def insert_refresh_token(session: Session, row: dict[str, Any]) -> None:
    session.connection().execute(INSERT_REFRESH_TOKEN, row)


# Presenting a rotated-out token: what the grace decision needs.
_PRESENTED = select(
    RefreshToken.id,
    RefreshToken.family_id,
    RefreshToken.client_id,
    RefreshToken.user_id,
    RefreshToken.scope,
    RefreshToken.auth_time,
    RefreshToken.amr,
    RefreshToken.browser_session_id,
    RefreshToken.expires_at,
    RefreshToken.rotated_at,
    RefreshToken.revoked_at,
).where(RefreshToken.token_hash == bindparam("b_token_hash"))

# A reissue in the grace window holds the grant's row until it commits (PostgreSQL; SQLite has
# one writer at a time anyway, and SQLAlchemy leaves FOR UPDATE out there): reissues of one family
# run one after another, and each sees the live token the one before it left.
_LOCK_LIVE_GRANT = (
    select(OAuthGrant.id)
    .where(
        OAuthGrant.id == bindparam("b_family_id", type_=OAuthGrant.id.type),
        OAuthGrant.revoked_at.is_(None),
        OAuthGrant.expires_at > _NOW,
    )
    .with_for_update()
)

# The family's live token is rotated out (not revoked) by a reissue: its holder, if any, is the
# other side of the same race and gets the same grace.
_RETIRE_LIVE = (
    update(RefreshToken)
    .where(
        RefreshToken.family_id == bindparam("b_family_id", type_=RefreshToken.family_id.type),
        RefreshToken.rotated_at.is_(None),
        RefreshToken.revoked_at.is_(None),
    )
    .values(rotated_at=_NOW)
    .returning(RefreshToken.id)
)


def consume_refresh_token(
    session: Session,
    token_hash: str,
    client_id: str,
    now: datetime,
    *,
    reuse_grace: timedelta = timedelta(0),
) -> models.RefreshTokenRecord | None:
    """Rotate the token out and return it; None when unknown, another client's, revoked or expired.

    One statement in the common case (``UPDATE … RETURNING``, which also settles a race: of two
    requests presenting the same token, one rotates it and the other sees it rotated). A token
    that was already rotated out is reuse — a sign that it leaked — and revokes the whole family
    (the grant, every refresh token of it, and with the grant every access token) ...

    ... unless it was rotated out less than ``reuse_grace`` ago and the same client presents it
    (a lost response, a retry after a timeout, a second tab: PORTAL_REFRESH_REUSE_GRACE_SECONDS).
    Then nothing is revoked and the family is *reissued*: its live token is rotated out (not
    revoked; it gets the same grace) and a new one is issued after it, so the family keeps one
    live chain and reuse detection keeps working after the window. The live token is never
    revealed again (it is stored hashed). A token revoked for any reason (logout, revocation, a
    reuse outside the window) and a revoked or ended grant are refused, as without grace.
    """
    row = (
        session.connection()
        .execute(ROTATE, {"b_token_hash": token_hash, "b_client_id": client_id, "b_now": now})
        .first()
    )
    if row is None:
        presented = session.connection().execute(_PRESENTED, {"b_token_hash": token_hash}).first()
        if (
            presented is None
            or presented.client_id != client_id
            or presented.revoked_at is not None
            or presented.rotated_at is None
        ):
            return None
        if reuse_grace > timedelta(0) and presented.rotated_at > now - reuse_grace:
            return _reissue(session, presented, client_id, now)
        revoke_family(session, presented.family_id, now)
        return None
    if row.expires_at <= now:
        return None
    return rotated_record(row, client_id)


def rotated_record(row: Sequence[Any], client_id: str) -> models.RefreshTokenRecord:
    """The token ``ROTATE`` rotated out (its RETURNING columns, in order)."""
    token_id, family_id, user_id, scope, auth_time, amr, browser_session_id, expires_at = row
    return models.RefreshTokenRecord(
        id=token_id,
        family_id=family_id,
        client_id=client_id,
        user_id=user_id,
        scope=scope,
        auth_time=auth_time,
        amr=amr,
        browser_session_id=browser_session_id,
        expires_at=expires_at,
    )


def _reissue(
    session: Session, presented: Any, client_id: str, now: datetime
) -> models.RefreshTokenRecord | None:
    """The grace answer (see consume_refresh_token): the record whose child the caller issues."""
    if presented.expires_at <= now:
        return None
    connection = session.connection()
    params = {"b_family_id": presented.family_id, "b_now": now}
    if connection.execute(_LOCK_LIVE_GRANT, params).first() is None:
        return None
    retired = connection.execute(_RETIRE_LIVE, params).scalars().all()
    return models.RefreshTokenRecord(
        # The new token follows the one it replaces in the chain.
        id=retired[-1] if retired else presented.id,
        family_id=presented.family_id,
        client_id=client_id,
        user_id=presented.user_id,
        scope=presented.scope,
        auth_time=presented.auth_time,
        amr=presented.amr,
        browser_session_id=presented.browser_session_id,
        expires_at=presented.expires_at,
    )


def find_refresh_family(session: Session, token_hash: str) -> tuple[uuid.UUID, str] | None:
    """(family id, client id) of a refresh token, whatever its state (for revocation)."""
    row = session.execute(
        select(RefreshToken.family_id, RefreshToken.client_id).where(
            RefreshToken.token_hash == token_hash
        )
    ).first()
    return (row.family_id, row.client_id) if row else None


# Ending a family: every refresh token of it, and the grant (with it every access token).
REVOKE_FAMILY = (
    update(RefreshToken)
    .where(
        RefreshToken.family_id == bindparam("b_family_id", type_=RefreshToken.family_id.type),
        RefreshToken.revoked_at.is_(None),
    )
    .values(revoked_at=_NOW)
)
REVOKE_GRANT = (
    update(OAuthGrant)
    .where(
        OAuthGrant.id == bindparam("b_family_id", type_=OAuthGrant.id.type),
        OAuthGrant.revoked_at.is_(None),
    )
    .values(revoked_at=_NOW)
)


def revoke_family(session: Session, grant_id: uuid.UUID, now: datetime) -> None:
    connection = session.connection()
    params = {"b_family_id": grant_id, "b_now": now}
    connection.execute(REVOKE_FAMILY, params)
    connection.execute(REVOKE_GRANT, params)


# --- users ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class TokenUser:
    id: uuid.UUID
    email: str
    first_name: str
    last_name: str
    security_stamp: int
    updated_at: datetime


_USER_ID = bindparam("b_user_id", type_=User.id.type)
# Tokens may be issued to an account that may act (domain.authz.acting: the rule of login).
TOKEN_USER = select(
    User.id, User.email, User.first_name, User.last_name, User.security_stamp, User.updated_at
).where(may_act(_USER_ID))
# ... and, on refresh, only while the grant is neither revoked nor expired and was made under the
# user's current security stamp (a password reset ends it).
TOKEN_USER_OF_LIVE_GRANT = TOKEN_USER.join(
    OAuthGrant,
    and_(
        OAuthGrant.id == bindparam("b_grant_id", type_=OAuthGrant.id.type),
        OAuthGrant.user_id == User.id,
        OAuthGrant.revoked_at.is_(None),
        OAuthGrant.expires_at > _NOW,
        OAuthGrant.security_stamp == User.security_stamp,
    ),
)

# PostgreSQL: ROTATE and the user check above in one statement (one round trip instead of two):
# the rotated token's columns, then the user's — NULL when the user or grant may not refresh.
# SQLite has no data-modifying CTE; there the two run one after the other.
_ROTATED = ROTATE.cte("rotated")
ROTATE_WITH_TOKEN_USER = select(
    *_ROTATED.c,
    User.id,
    User.email,
    User.first_name,
    User.last_name,
    User.security_stamp,
    User.updated_at,
).select_from(
    _ROTATED.outerjoin(
        User,
        and_(
            may_act(_ROTATED.c.user_id),
            exists().where(
                OAuthGrant.id == _ROTATED.c.family_id,
                OAuthGrant.user_id == User.id,
                OAuthGrant.revoked_at.is_(None),
                OAuthGrant.expires_at > _NOW,
                OAuthGrant.security_stamp == User.security_stamp,
            ),
        ),
    )
)


def load_token_user(
    session: Session,
    user_id: uuid.UUID,
    *,
    live_grant: uuid.UUID | None = None,
    now: datetime | None = None,
) -> TokenUser | None:
    """The user tokens may be issued to (see the statements above), in one query."""
    connection = session.connection()
    if live_grant is None:
        row = connection.execute(TOKEN_USER, {"b_user_id": user_id}).first()
    else:
        params = {"b_user_id": user_id, "b_grant_id": live_grant, "b_now": now}
        row = connection.execute(TOKEN_USER_OF_LIVE_GRANT, params).first()
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
