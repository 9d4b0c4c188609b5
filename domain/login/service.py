"""Password login (SECURITY.md "Login and abuse").

* Every answer that is not a success is the same ``LoginResult.INVALID`` and takes about as long
  as one Argon2 verification: an unknown email verifies against a dummy hash; an attempt refused
  before verification (address budget spent, account inside its delay window, past the hard cap)
  waits for the typical verification time instead — a non-blocking sleep, so a refused attacker
  costs us no CPU and no hashing slot.
* Per account: after ``failures_before_delay`` consecutive failures each further attempt must wait
  a delay that doubles per failure (shared through the database, so every process sees it);
  after ``hard_cap`` consecutive failures password login stops until the password is reset.
* Per client address: a budget through the rate limiter (Redis when configured).
* A password that verifies but belongs to an account that may not log in (disabled, or no
  organization that is not suspended) gets ``NOT_ALLOWED``: only someone who knows the password
  learns that.
* A right password of an account with TOTP (or one that an organization obliges to set it up)
  is only half a login: ``TOTP_REQUIRED`` / ``TOTP_ENROLLMENT_REQUIRED``, and the caller's
  ``on_second_factor`` keeps the half-finished state. The failure reserved for the attempt stays
  counted until the second factor is right (domain/two_factor/login.py), so wrong codes and
  wrong passwords feed the same delay and cap.
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

from sqlalchemy.orm import Session

from db.hot import execute
from db.sync import SyncRunner
from domain.accounts.hashing import PasswordHasher
from domain.accounts.validation import InvalidEmail
from domain.accounts.validation import normalize_email as accounts_normalize_email
from domain.audit.repository import INSERT_EVENT
from domain.audit.service import account_entry, entry
from domain.context import RequestMeta
from domain.login import repository
from domain.login.errors import LoginResult
from kit.clock import utcnow
from kit.ratelimit import RateLimiter

MAX_EMAIL_LENGTH = 320
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    per_address_limit: str
    failures_before_delay: int
    hard_cap: int
    delay_base_seconds: float
    delay_max_seconds: float
    max_password_length: int


@dataclass(frozen=True, slots=True)
class LoginOutcome(Generic[T]):
    result: LoginResult
    user_id: uuid.UUID | None = None
    security_stamp: int | None = None
    # What the caller's ``on_success`` made (its new session), on success.
    started: T | None = None


def normalize_email(email: str) -> str:
    """The spelling accounts are stored under (domain.accounts.validation); an address that is
    not even valid is looked up as typed (and found nowhere, after the same dummy verification).

    A plain ASCII address (no quoted local part) normalizes to its lower case: that shortcut
    skips the full syntax check, which only decides here whether a lookup can succeed."""
    stripped = email.strip()
    if stripped.isascii() and '"' not in stripped and stripped.isprintable():
        return stripped.lower()
    try:
        return accounts_normalize_email(email, allow_test_domains=True)
    except InvalidEmail:
        return unicodedata.normalize("NFKC", email).strip().lower()


def delay_after(failures: int, policy: LoginPolicy) -> timedelta | None:
    """How long after the last failure the next attempt must wait (None: no wait)."""
    if failures < policy.failures_before_delay:
        return None
    steps = failures - policy.failures_before_delay
    seconds = min(policy.delay_base_seconds * (2 ** min(steps, 40)), policy.delay_max_seconds)
    return timedelta(seconds=seconds)


def is_throttled(
    failures: int, last_failure_at: datetime | None, now: datetime, policy: LoginPolicy
) -> bool:
    if failures >= policy.hard_cap:
        return True
    delay = delay_after(failures, policy)
    return delay is not None and last_failure_at is not None and now < last_failure_at + delay


# How many times a reservation goes on from the count another attempt of the same account left
# (see reserve_attempt): each round means another attempt was counted meanwhile.
MAX_RESERVE_ROUNDS = 16


def reserve_attempt(
    session: Session, candidate: repository.LoginCandidate, now: datetime, policy: LoginPolicy
) -> str | None:
    """Count an attempt of ``candidate``'s as a failure before its secret is checked (a success
    clears it), or say why it may not try now: ``throttled`` (inside its delay window, or past
    the hard cap) or, only after MAX_RESERVE_ROUNDS lost races in a row, ``concurrent``.

    The count is a compare-and-set on what was read. When another attempt of the account changed
    it first (a double-clicked Login, two tabs: PostgreSQL runs them side by side), this one goes
    on from the count that attempt left — committed, since the update waited for it — instead of
    failing a right password: every attempt is still counted before its check, one after another,
    so a parallel burst meets the growing delay exactly as a serial one does.
    """
    failures, last_failure_at = candidate.login_failures, candidate.last_login_failure_at
    for _ in range(MAX_RESERVE_ROUNDS):
        if is_throttled(failures, last_failure_at, now, policy):
            return "throttled"
        if repository.reserve_attempt(session, candidate.id, seen_failures=failures, now=now):
            return None
        state = repository.failure_count(session, candidate.id)
        if state is None:
            break
        failures, last_failure_at = state
    return "concurrent"


def record_login_event(
    session: Session,
    action: str,
    candidate: repository.LoginCandidate,
    meta: RequestMeta,
    details: dict[str, Any],
) -> None:
    """An audit event of a login step of a known account (``login.*``)."""
    execute(
        session,
        INSERT_EVENT,
        account_entry(
            action, user_id=candidate.id, email=candidate.email, meta=meta, details=details
        ),
    )


def second_step(
    candidate: repository.LoginCandidate, access: repository.LoginAccess
) -> LoginResult | None:
    """What must follow a right password, if anything. An organization's requirement of a
    passkey wins (a TOTP code can be phished); a passkey serves as the second factor wherever
    TOTP would (instead of setting TOTP up when an organization requires two factors)."""
    if access.passkey_required:
        if candidate.has_passkey:
            return LoginResult.PASSKEY_REQUIRED
        return LoginResult.PASSKEY_ENROLLMENT_REQUIRED
    if candidate.totp_enabled or (access.two_factor_required and candidate.has_passkey):
        return LoginResult.TOTP_REQUIRED
    if access.two_factor_required:
        return LoginResult.TOTP_ENROLLMENT_REQUIRED
    return None


SessionStart = Callable[[Session, uuid.UUID, int], T]
# (session, user id, security stamp, TOTP_REQUIRED or TOTP_ENROLLMENT_REQUIRED)
SecondFactorStart = Callable[[Session, uuid.UUID, int, LoginResult], T]


@dataclass(frozen=True, slots=True)
class _Attempt:
    refusal: str | None
    candidate: repository.LoginCandidate | None


class PasswordLogin:
    """Two transactions per login (db/sync.py): one reads the account and reserves the attempt,
    one after the verification records the outcome (and starts the caller's session)."""

    def __init__(
        self, runner: SyncRunner, hasher: PasswordHasher, limiter: RateLimiter, policy: LoginPolicy
    ) -> None:
        self._runner = runner
        self._hasher = hasher
        self._limiter = limiter
        self._policy = policy

    async def authenticate(
        self,
        email: str,
        password: str,
        meta: RequestMeta,
        on_success: SessionStart[T],
        on_second_factor: SecondFactorStart[T],
    ) -> LoginOutcome[T]:
        """``on_success(session, user_id, security_stamp)`` runs inside the success transaction
        (the caller starts its browser session there) and its result comes back in the outcome;
        ``on_second_factor`` instead when the password is only the first factor."""
        started = time.perf_counter()
        address = meta.client_address or "unknown"
        normalized = normalize_email(email)[:MAX_EMAIL_LENGTH]

        if len(password) > self._policy.max_password_length or not normalized:
            # Refused before hashing (SECURITY.md: over-long passwords never reach Argon2).
            return await self._refuse(started, normalized, "malformed", meta)
        # The address budget counts failures only, reserved before the password is checked (a
        # burst must not pass it) and given back when it was right.
        budget = await self._limiter.reserve((self._policy.per_address_limit, "login", address))
        if budget is None:
            return await self._refuse(started, normalized, "address_budget", meta)

        attempt = await self._runner.write(
            lambda session: self._begin(session, normalized, utcnow(), meta)
        )
        if attempt.refusal == "unknown_or_inactive":
            # An unknown email costs what a known one costs: a verification (of a dummy hash).
            await self._hasher.verify(None, password)
            return LoginOutcome(LoginResult.INVALID)
        if attempt.refusal is not None:
            return await self._equal_time(started)
        candidate = attempt.candidate
        assert candidate is not None and candidate.password_hash is not None

        verified = await self._hasher.verify(candidate.password_hash, password)
        if not verified.ok:
            await self._runner.write(
                lambda session: _audit_failure(session, normalized, candidate.id, "password", meta)
            )
            return LoginOutcome(LoginResult.INVALID)
        await budget.refund()
        return await self._runner.write(
            lambda session: self._succeed(
                session, candidate, verified.new_hash, meta, on_success, on_second_factor
            )
        )

    def _begin(self, session: Session, email: str, now: datetime, meta: RequestMeta) -> _Attempt:
        """Read the account and, when it may try, count the attempt as a failure before the
        password is checked (``reserve_attempt``); a refusal is audited here too."""
        candidate = repository.find_candidate(session, email)
        refusal: str | None
        if candidate is None or candidate.password_hash is None:
            refusal = "unknown_or_inactive"
        else:
            refusal = reserve_attempt(session, candidate, now, self._policy)
        if refusal is not None:
            user_id = candidate.id if candidate is not None else None
            _audit_failure(session, email, user_id, refusal, meta)
        return _Attempt(refusal, candidate)

    @staticmethod
    def _succeed(
        session: Session,
        candidate: repository.LoginCandidate,
        new_hash: str | None,
        meta: RequestMeta,
        on_success: SessionStart[T],
        on_second_factor: SecondFactorStart[T],
    ) -> LoginOutcome[T]:
        access = repository.may_log_in(session, candidate.id)
        if not access.allowed:
            # The failure reserved above is cleared: the password was right.
            repository.record_success(session, candidate.id, now=utcnow(), new_hash=new_hash)
            record_login_event(
                session, "login.refused", candidate, meta, {"reason": "account_not_allowed"}
            )
            return LoginOutcome(LoginResult.NOT_ALLOWED)
        result = second_step(candidate, access)
        if result is not None:
            if new_hash is not None:
                repository.store_rehash(session, candidate.id, new_hash)
            record_login_event(
                session,
                "login.password_verified",
                candidate,
                meta,
                {"next": result.value, "rehashed": new_hash is not None},
            )
            pending = on_second_factor(session, candidate.id, candidate.security_stamp, result)
            return LoginOutcome(result, candidate.id, candidate.security_stamp, pending)
        repository.record_success(session, candidate.id, now=utcnow(), new_hash=new_hash)
        record_login_event(
            session, "login.succeeded", candidate, meta, {"rehashed": new_hash is not None}
        )
        started = on_success(session, candidate.id, candidate.security_stamp)
        return LoginOutcome(LoginResult.OK, candidate.id, candidate.security_stamp, started)

    async def _refuse(
        self, started: float, email: str, reason: str, meta: RequestMeta
    ) -> LoginOutcome[Any]:
        """Refused before any account is read (malformed input, the address budget spent)."""
        await self._spend_budget(meta)
        await self._runner.write(lambda session: _audit_failure(session, email, None, reason, meta))
        return await self._equal_time(started)

    async def _equal_time(self, started: float) -> LoginOutcome[Any]:
        # Answer no sooner than a real verification would have (see the module docstring).
        remaining = self._hasher.typical_verify_seconds - (time.perf_counter() - started)
        if remaining > 0:
            await asyncio.sleep(remaining)
        return LoginOutcome(LoginResult.INVALID)

    async def _spend_budget(self, meta: RequestMeta) -> None:
        """The address budget counts failures only: spraying fails a lot, a busy office behind
        one address mostly succeeds."""
        await self._limiter.hit(
            self._policy.per_address_limit, "login", meta.client_address or "unknown"
        )


def _audit_failure(
    session: Session, email: str, user_id: uuid.UUID | None, reason: str, meta: RequestMeta
) -> None:
    execute(
        session,
        INSERT_EVENT,
        entry(
            "login.failed",
            meta=meta,
            actor_user_id=user_id,
            actor_email=email or None,
            # The account tried (none for an unknown email). Login events belong to the account, not
            # to an organization (an account may be in several): internal admins read them.
            target_type="user" if user_id is not None else None,
            target_id=user_id,
            details={"reason": reason},
        ),
    )
