"""The rules of TOTP enrollment, codes and recovery codes — synchronous, on the caller's
``Session`` (see repository.py for why), inside the caller's transaction. Nothing here commits.

* Enrollment is two steps: ``begin_enrollment`` stores a new secret, sealed, as *pending*
  (``totp_enabled_at`` null) and returns it once to show; ``confirm_enrollment`` enables it when a
  code from it is right, and returns ten recovery codes, also shown once. A pending secret is
  replaced by the next ``begin_enrollment``; it never works as a second factor.
* A code is good once: the step it belongs to must be later than the last accepted one
  (``accept_step``, a conditional UPDATE — two requests with one code have one winner).
* Recovery codes are single use (a conditional UPDATE on ``used_at``).
* Refusals that must leave an audit event behind (a wrong code) are *returned*, so that the
  caller commits the event and only then answers; refusals about state are raised.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy.orm import Session

from domain.audit.repository import INSERT_EVENT
from domain.audit.service import account_entry
from domain.context import RequestMeta
from domain.errors import NotFound, UserError
from domain.two_factor import errors, recovery, repository, totp
from domain.two_factor.sealing import BrokenSeal, seal, unseal

CODE_FIELD = ("input", "code")


@dataclass(frozen=True, slots=True)
class Keys:
    """The server keys (domain/secrets.py), read before any transaction is opened."""

    sealing: bytes
    recovery: bytes


@dataclass(frozen=True, slots=True)
class Enrollment:
    secret: str  # base32, what is typed into an app
    uri: str  # otpauth://, what a QR code holds


class Check(StrEnum):
    """The answer to a second-factor code."""

    TOTP = "totp"
    RECOVERY_CODE = "recovery_code"
    WRONG = "wrong"
    REPLAYED = "replayed"

    @property
    def ok(self) -> bool:
        return self in {Check.TOTP, Check.RECOVERY_CODE}


def _audit(
    session: Session,
    row: repository.TotpRow,
    action: str,
    meta: RequestMeta,
    details: dict[str, Any],
) -> None:
    """An event the account causes about itself, on the synchronous path (db/sync.py): audit's one
    builder (``account_entry``), run with its prebuilt INSERT on this session's connection."""
    session.connection().execute(
        INSERT_EVENT,
        account_entry(action, user_id=row.user_id, email=row.email, meta=meta, details=details),
    )


def _row(session: Session, user_id: uuid.UUID) -> repository.TotpRow:
    row = repository.totp_row(session, user_id)
    if row is None:
        raise NotFound("user")
    return row


def _enrollment(secret: bytes, email: str) -> Enrollment:
    return Enrollment(totp.to_base32(secret), totp.provisioning_uri(secret, email))


def begin_enrollment(
    session: Session, keys: Keys, user_id: uuid.UUID, meta: RequestMeta, *, via: str
) -> Enrollment:
    row = _row(session, user_id)
    if row.enabled:
        raise UserError(errors.TOTP_ALREADY_ENABLED, "Two-factor login is already on.")
    secret = totp.new_secret()
    if not repository.set_pending_secret(session, user_id, seal(keys.sealing, secret, user_id)):
        raise UserError(errors.TOTP_ALREADY_ENABLED, "Two-factor login is already on.")
    _audit(session, row, "totp.enrollment_started", meta, {"via": via})
    return _enrollment(secret, row.email)


def pending_or_new_enrollment(
    session: Session, keys: Keys, user_id: uuid.UUID, meta: RequestMeta, *, via: str
) -> Enrollment:
    """The enrollment already pending (a reload of the setup page shows the same secret), or a
    new one."""
    row = _row(session, user_id)
    if row.sealed_secret is not None and not row.enabled:
        try:
            return _enrollment(unseal(keys.sealing, row.sealed_secret, user_id), row.email)
        except BrokenSeal:
            pass
    return begin_enrollment(session, keys, user_id, meta, via=via)


@dataclass(frozen=True, slots=True)
class Confirmation:
    recovery_codes: list[str] | None  # None: the code was wrong


def confirm_enrollment(
    session: Session,
    keys: Keys,
    user_id: uuid.UUID,
    code: str,
    now: datetime,
    meta: RequestMeta,
    *,
    via: str,
) -> Confirmation:
    row = _row(session, user_id)
    if row.enabled:
        raise UserError(errors.TOTP_ALREADY_ENABLED, "Two-factor login is already on.")
    not_started = UserError(
        errors.TOTP_ENROLLMENT_NOT_STARTED,
        "Start setting up two-factor login first: there is no new secret to confirm.",
        CODE_FIELD,
    )
    if row.sealed_secret is None:
        raise not_started
    try:
        secret = unseal(keys.sealing, row.sealed_secret, user_id)
    except BrokenSeal:
        raise not_started from None
    step = totp.match(secret, code, now)
    if step is None:
        _audit(session, row, "totp.enrollment_failed", meta, {"via": via})
        return Confirmation(None)
    if not repository.enable(session, user_id, row.sealed_secret, step, now):
        raise not_started
    codes = _new_recovery_codes(session, keys, user_id, now)
    _audit(session, row, "totp.enabled", meta, {"via": via, "recovery_codes": len(codes)})
    return Confirmation(codes)


def _new_recovery_codes(
    session: Session, keys: Keys, user_id: uuid.UUID, now: datetime
) -> list[str]:
    codes = recovery.new_codes()
    repository.replace_recovery_codes(
        session, user_id, [recovery.code_hash(keys.recovery, c) for c in codes], now
    )
    return codes


def check_code(
    session: Session,
    keys: Keys,
    row: repository.TotpRow,
    code: str,
    now: datetime,
    meta: RequestMeta,
) -> Check:
    """A TOTP code (six digits) or a recovery code of an account with TOTP enabled. A recovery
    code is spent by this call; a TOTP step is remembered."""
    if not row.enabled or row.sealed_secret is None:
        return Check.WRONG
    if totp.normalize(code) is not None:
        try:
            secret = unseal(keys.sealing, row.sealed_secret, row.user_id)
        except BrokenSeal:
            return Check.WRONG
        step = totp.match(secret, code, now)
        if step is None:
            return Check.WRONG
        if not repository.accept_step(session, row.user_id, step):
            return Check.REPLAYED
        return Check.TOTP
    if recovery.normalize(code) is None:
        return Check.WRONG
    if not repository.use_recovery_code(
        session, row.user_id, recovery.code_hash(keys.recovery, code), now
    ):
        return Check.WRONG
    _audit(
        session,
        row,
        "totp.recovery_code_used",
        meta,
        {"remaining": repository.unused_recovery_codes(session, row.user_id)},
    )
    return Check.RECOVERY_CODE


def record_failure(
    session: Session, row: repository.TotpRow, check: Check, meta: RequestMeta, *, during: str
) -> None:
    _audit(session, row, "totp.code_refused", meta, {"reason": check.value, "during": during})


def disable(session: Session, row: repository.TotpRow, meta: RequestMeta, *, proof: str) -> None:
    if not repository.disable(session, row.user_id):
        raise UserError(errors.TOTP_NOT_ENABLED, "Two-factor login is not on.")
    _audit(session, row, "totp.disabled", meta, {"proof": proof})


def regenerate_recovery_codes(
    session: Session,
    keys: Keys,
    row: repository.TotpRow,
    now: datetime,
    meta: RequestMeta,
    *,
    proof: str,
) -> list[str]:
    if not row.enabled:
        raise UserError(errors.TOTP_NOT_ENABLED, "Two-factor login is not on.")
    codes = _new_recovery_codes(session, keys, row.user_id, now)
    _audit(
        session,
        row,
        "totp.recovery_codes_regenerated",
        meta,
        {"proof": proof, "recovery_codes": len(codes)},
    )
    return codes
