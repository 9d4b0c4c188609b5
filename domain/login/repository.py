"""Every query of the password login — synchronous: the login runs its transactions through
``db.sync.SyncRunner`` (two per login; see db/sync.py for why)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import bindparam, select, update
from sqlalchemy.orm import Session

from db.hot import execute
from db.models import User
from db.types import UTCDateTime
from domain.authz.acting import may_act
from domain.enums import UserStatus
from domain.passkeys.repository import has_passkey
from domain.passkeys.repository import requirement_exists as passkey_requirement_exists
from domain.two_factor.repository import requirement_exists


@dataclass(frozen=True, slots=True)
class LoginCandidate:
    id: uuid.UUID
    email: str
    status: UserStatus
    password_hash: str | None
    login_failures: int
    last_login_failure_at: datetime | None
    security_stamp: int
    totp_enabled_at: datetime | None = None
    has_passkey: bool = False

    @property
    def totp_enabled(self) -> bool:
        return self.totp_enabled_at is not None


@dataclass(frozen=True, slots=True)
class LoginAccess:
    allowed: bool
    # Some organization of the user requires two-factor login (domain/two_factor).
    two_factor_required: bool
    # ... or phishing-resistant sign-in: a passkey (domain/passkeys).
    passkey_required: bool = False


_USER = bindparam("b_user_id", type_=User.id.type)
_NOW = bindparam("b_now", type_=UTCDateTime())

# Built once, executed with bind parameters on the session's connection: a login is two short
# transactions, and constructing ORM statements would cost more than SQLite takes to run them.
_CANDIDATE_COLUMNS = select(
    User.id,
    User.email,
    User.status,
    User.password_hash,
    User.login_failures,
    User.last_login_failure_at,
    User.security_stamp,
    User.totp_enabled_at,
    has_passkey(User.id).label("has_passkey"),
)
_CANDIDATE = _CANDIDATE_COLUMNS.where(User.email == bindparam("b_email"))
_CANDIDATE_BY_ID = _CANDIDATE_COLUMNS.where(User.id == _USER, User.status == UserStatus.ACTIVE)

_RESERVE = (
    update(User)
    .where(User.id == _USER, User.login_failures == bindparam("b_seen"))
    .values(login_failures=bindparam("b_next"), last_login_failure_at=_NOW)
)

# The account may act (domain.authz.acting); and whether one of its organizations requires
# two-factor login, or a passkey (the same query: no cost for a password login).
_MAY_LOG_IN = select(User.id, requirement_exists(_USER), passkey_requirement_exists(_USER)).where(
    may_act(_USER)
)

_FAILURES = select(User.login_failures, User.last_login_failure_at).where(User.id == _USER)

_SUCCESS = update(User).where(User.id == _USER).values(login_failures=0, last_login_at=_NOW)
_SUCCESS_REHASHED = _SUCCESS.values(password_hash=bindparam("b_hash"))
_REHASH = update(User).where(User.id == _USER).values(password_hash=bindparam("b_hash"))


def find_candidate(session: Session, email: str) -> LoginCandidate | None:
    row = execute(session, _CANDIDATE, {"b_email": email}).first()
    return LoginCandidate(*row) if row else None


def reserve_attempt(
    session: Session, user_id: uuid.UUID, *, seen_failures: int, now: datetime
) -> bool:
    """Count the attempt as a failure *before* the password is checked (success resets it).

    A compare-and-set on the count the caller saw: of several attempts racing on one account,
    only one goes on to the (expensive) verification, so a burst of parallel guesses cannot slip
    past the growing delay.
    """
    result = execute(
        session,
        _RESERVE,
        {"b_user_id": user_id, "b_seen": seen_failures, "b_next": seen_failures + 1, "b_now": now},
    )
    return result.rowcount == 1


def failure_count(session: Session, user_id: uuid.UUID) -> tuple[int, datetime | None] | None:
    """(login failures, last failure) as committed now, for a reservation that lost its race."""
    row = execute(session, _FAILURES, {"b_user_id": user_id}).first()
    return (row.login_failures, row.last_login_failure_at) if row else None


def may_log_in(session: Session, user_id: uuid.UUID) -> LoginAccess:
    row = execute(session, _MAY_LOG_IN, {"b_user_id": user_id}).first()
    if row is None:
        return LoginAccess(allowed=False, two_factor_required=False)
    return LoginAccess(
        allowed=True, two_factor_required=bool(row[1]), passkey_required=bool(row[2])
    )


def find_candidate_by_id(session: Session, user_id: uuid.UUID) -> LoginCandidate | None:
    """The active account a half-finished login (a pending second factor) is about."""
    row = execute(session, _CANDIDATE_BY_ID, {"b_user_id": user_id}).first()
    return LoginCandidate(*row) if row else None


def record_success(
    session: Session, user_id: uuid.UUID, *, now: datetime, new_hash: str | None
) -> None:
    params: dict[str, object] = {"b_user_id": user_id, "b_now": now}
    if new_hash is None:
        execute(session, _SUCCESS, params)
    else:
        execute(session, _SUCCESS_REHASHED, {**params, "b_hash": new_hash})


def store_rehash(session: Session, user_id: uuid.UUID, new_hash: str) -> None:
    """A right password whose login waits for a second factor: the hash is upgraded now, but the
    failure reserved for this attempt stays counted until the second factor is right too — so
    knowing the password does not wipe the count that bounds guessing the second factor."""
    execute(session, _REHASH, {"b_user_id": user_id, "b_hash": new_hash})
