"""The second step of a hosted login: a TOTP code (or a recovery code), or — when an organization
requires two-factor login and the account has none — setting TOTP up (a "required action", as in
Keycloak). The password step (domain/login/service.py) has already passed; the page keeps who it
was for in a short-lived anonymous browser session (identity/pages/two_factor.py).

* Wrong codes are login failures: each attempt reserves a failure on the account (the same
  compare-and-set as the password's, ``login_failures``), the delay and the hard cap apply, and
  the client address's budget is spent. Only a complete login clears the count. A throttled
  attempt gets the same answer as a wrong code.
* The account must still be the one the password was checked for: active, the same security
  stamp (a password reset in between ends the half-finished login).
* One transaction per attempt: there is no slow hashing here, so the reservation, the check, the
  audit event and — when right — the new browser session commit together.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy.orm import Session

from db.sync import SyncRunner
from domain.context import RequestMeta
from domain.errors import UserErrors
from domain.login import repository as login_repository
from domain.login.service import LoginPolicy, record_login_event, reserve_attempt
from domain.secrets import ServerSecrets
from domain.two_factor import recovery, repository, service
from domain.two_factor.recovery import RECOVERY_CODE_KEY
from domain.two_factor.sealing import TOTP_SEALING_KEY
from domain.two_factor.service import Check, Enrollment, Keys
from kit.clock import utcnow
from kit.ratelimit import RateLimiter

T = TypeVar("T")
# ``on_success(session, amr)``: start the authenticated browser session in the same transaction.
Complete = Callable[[Session, list[str]], T]


class StepResult(StrEnum):
    OK = "OK"
    INVALID = "INVALID"
    # The half-finished login no longer holds (account changed, disabled): start again.
    EXPIRED = "EXPIRED"
    # Right, but the account may not log in now (no usable organization).
    NOT_ALLOWED = "NOT_ALLOWED"
    # Setup was asked for, but TOTP is on meanwhile: ask for a code instead.
    ALREADY_ENABLED = "ALREADY_ENABLED"


@dataclass(frozen=True, slots=True)
class Pending:
    user_id: uuid.UUID
    security_stamp: int


@dataclass(frozen=True, slots=True)
class StepOutcome(Generic[T]):
    result: StepResult
    started: T | None = None
    # After a setup: the new recovery codes, to be shown once.
    recovery_codes: list[str] | None = None
    # After a recovery code: how many are left.
    recovery_codes_left: int | None = None


AMR = ["pwd", "otp"]


class SecondFactorLogin:
    def __init__(
        self,
        runner: SyncRunner,
        limiter: RateLimiter,
        secrets: ServerSecrets,
        policy: LoginPolicy,
    ) -> None:
        self._runner = runner
        self._limiter = limiter
        self._secrets = secrets
        self._policy = policy

    async def _keys(self) -> Keys:
        return Keys(
            sealing=await self._secrets.get(TOTP_SEALING_KEY),
            recovery=await self._secrets.get(RECOVERY_CODE_KEY),
        )

    # --- a code ---------------------------------------------------------------------------------

    async def verify(
        self, pending: Pending, code: str, meta: RequestMeta, on_success: Complete[T]
    ) -> StepOutcome[T]:
        address = meta.client_address or "unknown"
        keys = await self._keys()
        # The address budget counts wrong codes only; reserved before the code is checked.
        budget = await self._limiter.reserve((self._policy.per_address_limit, "login", address))
        outcome: StepOutcome[T] = await self._runner.write(
            lambda session: self._verify(
                session, keys, pending, code, meta, budget is not None, on_success
            )
        )
        if budget is not None and outcome.result is not StepResult.INVALID:
            await budget.refund()
        return outcome

    def _verify(
        self,
        session: Session,
        keys: Keys,
        pending: Pending,
        code: str,
        meta: RequestMeta,
        budget_left: bool,
        on_success: Complete[T],
    ) -> StepOutcome[T]:
        candidate = self._candidate(session, pending)
        if candidate is None:
            return StepOutcome(StepResult.EXPIRED)
        row = repository.totp_row(session, pending.user_id)
        if row is None or not row.enabled:
            return StepOutcome(StepResult.EXPIRED)
        now = utcnow()
        refusal = (
            reserve_attempt(session, candidate, now, self._policy)
            if budget_left
            else "address_budget"
        )
        if refusal is not None:
            self._audit_failure(session, candidate, refusal, meta)
            return StepOutcome(StepResult.INVALID)
        check = service.check_code(session, keys, row, code, now, meta)
        if not check.ok:
            self._audit_failure(session, candidate, check.value, meta)
            return StepOutcome(StepResult.INVALID)
        left = None
        if check is Check.RECOVERY_CODE:
            left = repository.unused_recovery_codes(session, candidate.id)
        return self._complete(session, candidate, check.value, meta, on_success, left=left)

    # --- a recovery code when an organization requires passkeys --------------------------------

    async def recover_for_passkey(
        self, pending: Pending, code: str, meta: RequestMeta
    ) -> StepResult:
        """A recovery code instead of a lost passkey, where an organization requires passkeys:
        it does not complete the login (a recovery code can be phished like a password); it lets
        the person add a new passkey, which does (identity/pages/passkeys.py). Spent on success;
        wrong ones count as login failures, as on the code step."""
        address = meta.client_address or "unknown"
        keys = await self._keys()
        budget = await self._limiter.reserve((self._policy.per_address_limit, "login", address))

        def work(session: Session) -> StepResult:
            candidate = self._candidate(session, pending)
            if candidate is None:
                return StepResult.EXPIRED
            now = utcnow()
            refusal = (
                reserve_attempt(session, candidate, now, self._policy)
                if budget is not None
                else "address_budget"
            )
            if refusal is not None:
                self._audit_failure(session, candidate, refusal, meta)
                return StepResult.INVALID
            spent = recovery.normalize(code) is not None and repository.use_recovery_code(
                session, candidate.id, recovery.code_hash(keys.recovery, code), now
            )
            if not spent:
                self._audit_failure(session, candidate, Check.WRONG.value, meta)
                return StepResult.INVALID
            record_login_event(
                session,
                "totp.recovery_code_used",
                candidate,
                meta,
                {
                    "remaining": repository.unused_recovery_codes(session, candidate.id),
                    "then": "passkey_enrollment",
                },
            )
            return StepResult.OK

        result = await self._runner.write(work)
        if budget is not None and result is not StepResult.INVALID:
            await budget.refund()
        return result

    # --- setting TOTP up when an organization requires it ---------------------------------------

    async def enrollment(self, pending: Pending, meta: RequestMeta) -> Enrollment | StepResult:
        """The secret to show on the setup page (the same one on every reload until confirmed)."""
        keys = await self._keys()

        def work(session: Session) -> Enrollment | StepResult:
            candidate = self._candidate(session, pending)
            if candidate is None:
                return StepResult.EXPIRED
            if candidate.totp_enabled:
                return StepResult.ALREADY_ENABLED
            return service.pending_or_new_enrollment(
                session, keys, pending.user_id, meta, via="login"
            )

        return await self._runner.write(work)

    async def confirm_enrollment(
        self, pending: Pending, code: str, meta: RequestMeta, on_success: Complete[T]
    ) -> StepOutcome[T]:
        """A right code of the new secret turns TOTP on and completes the login. Wrong codes here
        are not login failures: the person typing them has just been shown the secret."""
        keys = await self._keys()

        def work(session: Session) -> StepOutcome[T]:
            candidate = self._candidate(session, pending)
            if candidate is None:
                return StepOutcome(StepResult.EXPIRED)
            if candidate.totp_enabled:
                return StepOutcome(StepResult.ALREADY_ENABLED)
            try:
                confirmation = service.confirm_enrollment(
                    session, keys, pending.user_id, code, utcnow(), meta, via="login"
                )
            except UserErrors:
                return StepOutcome(StepResult.EXPIRED)
            if confirmation.recovery_codes is None:
                return StepOutcome(StepResult.INVALID)
            outcome = self._complete(session, candidate, "totp_enrollment", meta, on_success)
            return StepOutcome(outcome.result, outcome.started, confirmation.recovery_codes)

        return await self._runner.write(work)

    # --- shared ---------------------------------------------------------------------------------

    @staticmethod
    def _candidate(session: Session, pending: Pending) -> login_repository.LoginCandidate | None:
        candidate = login_repository.find_candidate_by_id(session, pending.user_id)
        if candidate is None or candidate.security_stamp != pending.security_stamp:
            return None
        return candidate

    @staticmethod
    def _complete(
        session: Session,
        candidate: login_repository.LoginCandidate,
        factor: str,
        meta: RequestMeta,
        on_success: Complete[T],
        *,
        left: int | None = None,
    ) -> StepOutcome[T]:
        login_repository.record_success(session, candidate.id, now=utcnow(), new_hash=None)
        if not login_repository.may_log_in(session, candidate.id).allowed:
            record_login_event(
                session,
                "login.refused",
                candidate,
                meta,
                {"reason": "account_not_allowed", "second_factor": factor},
            )
            return StepOutcome(StepResult.NOT_ALLOWED)
        record_login_event(session, "login.succeeded", candidate, meta, {"second_factor": factor})
        return StepOutcome(StepResult.OK, on_success(session, AMR), recovery_codes_left=left)

    @staticmethod
    def _audit_failure(
        session: Session,
        candidate: login_repository.LoginCandidate,
        reason: str,
        meta: RequestMeta,
    ) -> None:
        record_login_event(
            session, "login.second_factor_failed", candidate, meta, {"reason": reason}
        )
