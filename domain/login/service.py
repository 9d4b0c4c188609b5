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
"""

from __future__ import annotations

import asyncio
import time
import unicodedata
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from db.database import Database
from domain.accounts.hashing import PasswordHasher
from domain.accounts.validation import InvalidEmail
from domain.accounts.validation import normalize_email as accounts_normalize_email
from domain.audit.service import record
from domain.context import RequestMeta
from domain.login import repository
from kit.clock import utcnow
from kit.ratelimit import RateLimiter

MAX_EMAIL_LENGTH = 320


class LoginResult(StrEnum):
    OK = "OK"
    INVALID = "INVALID"
    NOT_ALLOWED = "NOT_ALLOWED"


@dataclass(frozen=True, slots=True)
class LoginPolicy:
    per_address_limit: str
    failures_before_delay: int
    hard_cap: int
    delay_base_seconds: float
    delay_max_seconds: float
    max_password_length: int


@dataclass(frozen=True, slots=True)
class LoginOutcome:
    result: LoginResult
    user_id: uuid.UUID | None = None
    security_stamp: int | None = None


def normalize_email(email: str) -> str:
    """The spelling accounts are stored under (domain.accounts.validation); an address that is
    not even valid is looked up as typed (and found nowhere, after the same dummy verification)."""
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


class PasswordLogin:
    def __init__(
        self, db: Database, hasher: PasswordHasher, limiter: RateLimiter, policy: LoginPolicy
    ) -> None:
        self._db = db
        self._hasher = hasher
        self._limiter = limiter
        self._policy = policy

    async def authenticate(self, email: str, password: str, meta: RequestMeta) -> LoginOutcome:
        started = time.perf_counter()
        address = meta.client_address or "unknown"
        normalized = normalize_email(email)[:MAX_EMAIL_LENGTH]

        if len(password) > self._policy.max_password_length or not normalized:
            # Refused before hashing (SECURITY.md: over-long passwords never reach Argon2).
            return await self._refuse(started, normalized, None, "malformed", meta)
        # The address budget counts failures only (``_count_failure``): spraying fails a lot, a
        # busy office behind one address mostly succeeds.
        if not await self._limiter.test(self._policy.per_address_limit, "login", address):
            return await self._refuse(started, normalized, None, "address_budget", meta)

        async with self._db.read_session() as session:
            candidate = await repository.find_candidate(session, normalized)
        if candidate is None or candidate.password_hash is None:
            await self._hasher.verify(None, password)
            await self._count_failure(normalized, None, "unknown_or_inactive", meta)
            return LoginOutcome(LoginResult.INVALID)

        now = utcnow()
        if is_throttled(
            candidate.login_failures, candidate.last_login_failure_at, now, self._policy
        ):
            return await self._refuse(started, normalized, candidate.id, "throttled", meta)
        async with self._db.unit_of_work() as session:
            reserved = await repository.reserve_attempt(
                session, candidate.id, seen_failures=candidate.login_failures, now=now
            )
        if not reserved:
            return await self._refuse(started, normalized, candidate.id, "concurrent", meta)

        verified = await self._hasher.verify(candidate.password_hash, password)
        if not verified.ok:
            await self._count_failure(normalized, candidate.id, "password", meta)
            return LoginOutcome(LoginResult.INVALID)

        async with self._db.unit_of_work() as session:
            # The failure reserved above is cleared whatever follows: the password was right.
            await repository.record_success(
                session, candidate.id, now=utcnow(), new_hash=verified.new_hash
            )
            if not await repository.may_log_in(session, candidate.id):
                await record(
                    session,
                    "login.refused",
                    meta=meta,
                    actor_user_id=candidate.id,
                    actor_email=candidate.email,
                    details={"reason": "account_not_allowed"},
                )
                return LoginOutcome(LoginResult.NOT_ALLOWED)
            await record(
                session,
                "login.succeeded",
                meta=meta,
                actor_user_id=candidate.id,
                actor_email=candidate.email,
                details={"rehashed": verified.new_hash is not None},
            )
        return LoginOutcome(LoginResult.OK, candidate.id, candidate.security_stamp)

    async def _refuse(
        self,
        started: float,
        email: str,
        user_id: uuid.UUID | None,
        reason: str,
        meta: RequestMeta,
    ) -> LoginOutcome:
        await self._count_failure(email, user_id, reason, meta)
        # Answer no sooner than a real verification would have (see the module docstring).
        remaining = self._hasher.typical_verify_seconds - (time.perf_counter() - started)
        if remaining > 0:
            await asyncio.sleep(remaining)
        return LoginOutcome(LoginResult.INVALID)

    async def _count_failure(
        self, email: str, user_id: uuid.UUID | None, reason: str, meta: RequestMeta
    ) -> None:
        """Spend the address budget and write the audit event."""
        await self._limiter.hit(
            self._policy.per_address_limit, "login", meta.client_address or "unknown"
        )
        async with self._db.unit_of_work() as session:
            await record(
                session,
                "login.failed",
                meta=meta,
                actor_user_id=user_id,
                actor_email=email or None,
                details={"reason": reason},
            )
