"""Every query of the password login — synchronous: the login runs its transactions through
``db.sync.SyncRunner`` (two per login; see db/sync.py for why)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, exists, select, update
from sqlalchemy.orm import Session

from db.models import Membership, Organization, User
from db.types import UTCDateTime
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


_USER = bindparam("b_user_id", type_=User.id.type)
_NOW = bindparam("b_now", type_=UTCDateTime())

# Built once, executed with bind parameters on the session's connection: a login is two short
# transactions, and constructing ORM statements would cost more than SQLite takes to run them.
_CANDIDATE = select(
    User.id,
    User.email,
    User.status,
    User.password_hash,
    User.login_failures,
    User.last_login_failure_at,
    User.security_stamp,
).where(User.email == bindparam("b_email"))

_RESERVE = (
    update(User)
    .where(User.id == _USER, User.login_failures == bindparam("b_seen"))
    .values(login_failures=bindparam("b_next"), last_login_failure_at=_NOW)
)

# An active user with at least one membership in an organization that is not suspended.
_MAY_LOG_IN = select(User.id).where(
    User.id == _USER,
    User.status == UserStatus.ACTIVE,
    exists(
        select(Membership.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == _USER,
            Organization.status != OrganizationStatus.SUSPENDED,
            Organization.deleted_at.is_(None),
        )
    ),
)

_SUCCESS = update(User).where(User.id == _USER).values(login_failures=0, last_login_at=_NOW)
_SUCCESS_REHASHED = _SUCCESS.values(password_hash=bindparam("b_hash"))


def find_candidate(session: Session, email: str) -> LoginCandidate | None:
    row = session.connection().execute(_CANDIDATE, {"b_email": email}).first()
    return LoginCandidate(*row) if row else None


def reserve_attempt(
    session: Session, user_id: uuid.UUID, *, seen_failures: int, now: datetime
) -> bool:
    """Count the attempt as a failure *before* the password is checked (success resets it).

    A compare-and-set on the count the caller saw: of several attempts racing on one account,
    only one goes on to the (expensive) verification, so a burst of parallel guesses cannot slip
    past the growing delay.
    """
    result = session.connection().execute(
        _RESERVE,
        {"b_user_id": user_id, "b_seen": seen_failures, "b_next": seen_failures + 1, "b_now": now},
    )
    return result.rowcount == 1


def may_log_in(session: Session, user_id: uuid.UUID) -> bool:
    return session.connection().execute(_MAY_LOG_IN, {"b_user_id": user_id}).first() is not None


def record_success(
    session: Session, user_id: uuid.UUID, *, now: datetime, new_hash: str | None
) -> None:
    params: dict[str, object] = {"b_user_id": user_id, "b_now": now}
    if new_hash is None:
        session.connection().execute(_SUCCESS, params)
    else:
        session.connection().execute(_SUCCESS_REHASHED, {**params, "b_hash": new_hash})
