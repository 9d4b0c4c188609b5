"""Every query of the browser sessions — synchronous, run through ``db.sync.SyncRunner``: a login
page view is one short transaction, and on SQLite the async driver's per-statement thread hops
would cost more than the statements (db/sync.py)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import bindparam, insert, select, update
from sqlalchemy.orm import Session

from db.hot import execute
from db.models import BrowserSession, User
from db.types import UTCDateTime
from domain.context import RequestMeta
from domain.enums import UserStatus
from kit.ids import uuid7


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


_ID = bindparam("b_id", type_=BrowserSession.id.type)
_NOW = bindparam("b_now", type_=UTCDateTime())

# Built once, executed with bind parameters on the session's connection (every page view reads
# a session; statement construction would cost more than SQLite takes to answer).
_FIND = (
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
    .where(BrowserSession.token_hash == bindparam("b_token_hash"))
)
_INSERT = insert(BrowserSession)
_TOUCH = update(BrowserSession).where(BrowserSession.id == _ID).values(last_seen_at=_NOW)
_SET_DATA = (
    update(BrowserSession)
    .where(BrowserSession.id == _ID)
    .values(data=bindparam("b_data", type_=BrowserSession.data.type))
)
_END = (
    update(BrowserSession)
    .where(BrowserSession.id == _ID, BrowserSession.ended_at.is_(None))
    .values(ended_at=_NOW)
)


def find(session: Session, token_hash: str) -> BrowserSessionRow | None:
    row = execute(session, _FIND, {"b_token_hash": token_hash}).first()
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


def insert_session(
    session: Session,
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
    session_id: uuid.UUID | None = None,
) -> uuid.UUID:
    session_id = session_id or uuid7()
    execute(
        session,
        _INSERT,
        {
            "id": session_id,
            "token_hash": token_hash,
            "user_id": user_id,
            "security_stamp": security_stamp,
            "authenticated_at": authenticated_at,
            "amr": amr,
            "created_at": now,
            "last_seen_at": now,
            "expires_at": expires_at,
            "data": data,
            "client_address": meta.client_address,
            "user_agent": meta.user_agent,
        },
    )
    return session_id


def touch(session: Session, session_id: uuid.UUID, now: datetime) -> None:
    execute(session, _TOUCH, {"b_id": session_id, "b_now": now})


def set_data(session: Session, session_id: uuid.UUID, data: dict[str, Any]) -> None:
    execute(session, _SET_DATA, {"b_id": session_id, "b_data": data})


def end(session: Session, session_id: uuid.UUID, now: datetime) -> None:
    """End a session replaced at login (logout goes through identity/oauth/store.py, which also
    revokes the session's grants)."""
    execute(session, _END, {"b_id": session_id, "b_now": now})
