"""Every query of two-factor login — synchronous statements on a ``Session``: the hosted login
runs them through ``db.sync.SyncRunner`` (like the password login), and GraphQL mutations run
the same functions inside their unit of work with ``AsyncSession.run_sync``. One code path for
the rules that decide who gets in."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, Exists, delete, exists, func, insert, or_, select, update
from sqlalchemy.orm import Session

from db.models import Membership, Organization, RecoveryCode, User
from domain.authz.acting import usable_organization
from kit.ids import uuid7


@dataclass(frozen=True, slots=True)
class TotpRow:
    user_id: uuid.UUID
    email: str
    # The sealed secret (domain/two_factor/sealing.py): enrolled, or pending confirmation.
    sealed_secret: str | None
    enabled_at: datetime | None
    last_step: int | None
    password_hash: str | None

    @property
    def enabled(self) -> bool:
        return self.enabled_at is not None and self.sealed_secret is not None


def totp_row(session: Session, user_id: uuid.UUID) -> TotpRow | None:
    row = session.execute(
        select(
            User.id,
            User.email,
            User.totp_secret,
            User.totp_enabled_at,
            User.totp_last_step,
            User.password_hash,
        ).where(User.id == user_id)
    ).first()
    return TotpRow(*row) if row else None


def set_pending_secret(session: Session, user_id: uuid.UUID, sealed: str) -> bool:
    """Start (or restart) an enrollment: only while TOTP is not enabled."""
    result = session.execute(
        update(User)
        .where(User.id == user_id, User.totp_enabled_at.is_(None))
        .values(totp_secret=sealed, totp_last_step=None)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def enable(session: Session, user_id: uuid.UUID, sealed: str, step: int, now: datetime) -> bool:
    """Confirm the enrollment of exactly the secret whose code was checked (a restarted
    enrollment in another tab replaced it: then nothing happens)."""
    result = session.execute(
        update(User)
        .where(User.id == user_id, User.totp_secret == sealed, User.totp_enabled_at.is_(None))
        .values(totp_enabled_at=now, totp_last_step=step)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def accept_step(session: Session, user_id: uuid.UUID, step: int) -> bool:
    """Remember ``step`` as the last accepted one, if it is later than the last (RFC 6238 §5.2:
    a code is good once). Conditional, so two requests with one code have one winner."""
    result = session.execute(
        update(User)
        .where(
            User.id == user_id,
            User.totp_enabled_at.is_not(None),
            or_(User.totp_last_step.is_(None), User.totp_last_step < step),
        )
        .values(totp_last_step=step)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def disable(session: Session, user_id: uuid.UUID) -> bool:
    result = session.execute(
        update(User)
        .where(User.id == user_id, User.totp_enabled_at.is_not(None))
        .values(totp_secret=None, totp_enabled_at=None, totp_last_step=None)
    )
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def replace_recovery_codes(
    session: Session, user_id: uuid.UUID, hashes: list[str], now: datetime
) -> None:
    session.execute(delete(RecoveryCode).where(RecoveryCode.user_id == user_id))
    session.execute(
        insert(RecoveryCode),
        [{"id": uuid7(), "user_id": user_id, "code_hash": h, "created_at": now} for h in hashes],
    )


def use_recovery_code(session: Session, user_id: uuid.UUID, code_hash: str, now: datetime) -> bool:
    """Spend one recovery code; False when there is no such unused code (one winner)."""
    result = session.execute(
        update(RecoveryCode)
        .where(
            RecoveryCode.user_id == user_id,
            RecoveryCode.code_hash == code_hash,
            RecoveryCode.used_at.is_(None),
        )
        .values(used_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


def unused_recovery_codes(session: Session, user_id: uuid.UUID) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(RecoveryCode)
        .where(RecoveryCode.user_id == user_id, RecoveryCode.used_at.is_(None))
    )
    return int(count or 0)


def requirement_exists(user_id: ColumnElement[uuid.UUID] | uuid.UUID) -> Exists:
    """Whether any live organization the user belongs to requires two-factor login (a suspended
    or deleted organization decides nothing). Also part of the password login's one query
    (domain/login/repository.py)."""
    return exists(
        select(Membership.id)
        .join(Organization, Organization.id == Membership.organization_id)
        .where(
            Membership.user_id == user_id,
            Organization.require_mfa.is_(True),
            usable_organization(),
        )
    )


def set_requirement(session: Session, organization_id: uuid.UUID, required: bool) -> bool:
    """Set the organization's requirement; True when it changed."""
    result = session.execute(
        update(Organization)
        .where(Organization.id == organization_id, Organization.require_mfa.is_not(required))
        .values(require_mfa=required)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]
