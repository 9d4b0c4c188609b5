"""Passkeys at the hosted login (identity/pages/passkeys.py): a sign-in on its own, the second
step after a password, and a first passkey added during a login that an organization's
requirement holds up.

* **Sign-in on its own.** Discoverable credentials: the options name no account, the
  authenticator offers its passkeys, and the credential id it answers with names the account.
  The user handle it returns must be that account's. The passkey proves possession (the key) and
  the authenticator verified the person (required), so the login is complete: ``amr`` is ``hwk``
  (a device-bound key) or ``swk`` (a synced passkey, backup eligible: its key lives in software
  copies) with ``user`` (RFC 8176).
* **Refusals** leave an audit event (``passkey.refused`` with the reason) and answer the same to
  the browser: a challenge that is unknown, spent (a replayed assertion) or expired; another
  origin or RP id; a credential the portal does not know, or another account's; a counter that
  went back (``passkey.clone_suspected``, mailed to the owner: a copied authenticator).
* Failures spend the client address's login budget (reserved first, refunded on success), like
  wrong passwords.
* One unit of work per attempt: the challenge spent, the counter stored, the audit events, the
  owner's mail and — when right — the new browser session commit together.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from enum import StrEnum
from typing import Generic, TypeVar

from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from db.database import Database
from db.models import Passkey, User
from domain.context import RequestMeta
from domain.errors import UserErrors
from domain.login import repository as login_repository
from domain.login.service import record_login_event
from domain.passkeys import ceremony, notices, repository, service
from domain.passkeys.ceremony import Assertion, CeremonyFailed, RelyingParty
from kit.clock import utcnow
from kit.ratelimit import RateLimiter

T = TypeVar("T")
# ``on_success(session, user_id, security_stamp, amr)``: the browser session, in the same
# transaction (a sync Session: identity/sessions.py works on one).
Complete = Callable[[Session, uuid.UUID, int, list[str]], T]


class PasskeyResult(StrEnum):
    OK = "OK"
    INVALID = "INVALID"
    NOT_ALLOWED = "NOT_ALLOWED"
    # The half-finished login no longer holds (password changed, account disabled).
    EXPIRED = "EXPIRED"


@dataclass(frozen=True, slots=True)
class PasskeyOutcome(Generic[T]):
    result: PasskeyResult
    started: T | None = None
    reason: str | None = None


def amr_of(passkey: Passkey) -> list[str]:
    return ["swk" if passkey.backup_eligible else "hwk", "user"]


class _Refused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class PasskeyLogin:
    def __init__(
        self,
        db: Database,
        limiter: RateLimiter,
        *,
        public_url: str,
        per_address_limit: str,
    ) -> None:
        self._db = db
        self._limiter = limiter
        self._public_url = public_url
        self._per_address_limit = per_address_limit
        self.rp = RelyingParty.of(public_url)

    # --- options --------------------------------------------------------------------------------

    async def sign_in_options(self) -> str:
        async with self._db.unit_of_work() as session:
            challenge = await service.new_challenge(session, "login", None)
        return ceremony.authentication_options(self.rp, challenge=challenge)

    async def second_factor_options(self, user_id: uuid.UUID) -> str | None:
        """None when the account has no passkey (any more)."""
        async with self._db.unit_of_work() as session:
            passkeys = await repository.passkeys_of(session, user_id)
            if not passkeys:
                return None
            challenge = await service.new_challenge(session, "second_factor", user_id)
        return ceremony.authentication_options(
            self.rp, challenge=challenge, allowed=service.descriptors(passkeys)
        )

    async def enrollment_options(self, user_id: uuid.UUID) -> str | None:
        async with self._db.unit_of_work() as session:
            user = await session.get(User, user_id)
            if user is None:
                return None
            return await service.registration_options(session, user, self.rp)

    async def has_passkey(self, user_id: uuid.UUID) -> bool:
        async with self._db.unit_of_work() as session:
            return await repository.count_of(session, user_id) > 0

    # --- answers --------------------------------------------------------------------------------

    async def sign_in(
        self, raw: str, meta: RequestMeta, on_success: Complete[T]
    ) -> PasskeyOutcome[T]:
        return await self._with_budget(
            meta, lambda session: self._assert(session, raw, meta, on_success, pending=None)
        )

    async def second_factor(
        self,
        user_id: uuid.UUID,
        security_stamp: int,
        raw: str,
        meta: RequestMeta,
        on_success: Complete[T],
    ) -> PasskeyOutcome[T]:
        return await self._with_budget(
            meta,
            lambda session: self._assert(
                session, raw, meta, on_success, pending=(user_id, security_stamp)
            ),
        )

    async def enroll(
        self,
        user_id: uuid.UUID,
        security_stamp: int,
        raw: str,
        name: str | None,
        meta: RequestMeta,
        on_success: Complete[T],
    ) -> PasskeyOutcome[T]:
        """A first passkey, added during the login that an organization's requirement holds up;
        the login completes with it (``pwd`` and the new key)."""
        async with self._db.unit_of_work() as session:
            user = await session.get(User, user_id)
            if user is None or user.security_stamp != security_stamp:
                return PasskeyOutcome(PasskeyResult.EXPIRED)
            try:
                passkey = await service.register(
                    session,
                    user,
                    meta,
                    rp=self.rp,
                    credential=raw,
                    name=name,
                    public_url=self._public_url,
                )
            except UserErrors as exc:
                return PasskeyOutcome(PasskeyResult.INVALID, reason=exc.errors[0].code)
            if isinstance(passkey, UserErrors):
                return PasskeyOutcome(PasskeyResult.INVALID, reason=passkey.errors[0].code)
            return await self._complete(
                session, user_id, meta, on_success, ["pwd", *amr_of(passkey)], "passkey_enrollment"
            )

    # --- the checks -----------------------------------------------------------------------------

    async def _with_budget(
        self,
        meta: RequestMeta,
        attempt: Callable[[AsyncSession], Awaitable[PasskeyOutcome[T]]],
    ) -> PasskeyOutcome[T]:
        address = meta.client_address or "unknown"
        budget = await self._limiter.reserve((self._per_address_limit, "login", address))
        if budget is None:
            return PasskeyOutcome(PasskeyResult.INVALID, reason="address_budget")
        async with self._db.unit_of_work() as session:
            outcome = await attempt(session)
        if outcome.result is not PasskeyResult.INVALID:
            await budget.refund()
        return outcome

    async def _assert(
        self,
        session: AsyncSession,
        raw: str,
        meta: RequestMeta,
        on_success: Complete[T],
        *,
        pending: tuple[uuid.UUID, int] | None,
    ) -> PasskeyOutcome[T]:
        purpose = "login" if pending is None else "second_factor"
        expected_user = pending[0] if pending is not None else None
        passkey: Passkey | None = None
        try:
            assertion = _parse(raw)
            spent = await repository.spend_challenge(
                session,
                assertion.challenge_hash,
                purpose=purpose,
                user_id=expected_user,
                now=utcnow(),
            )
            if spent is not None:
                raise _Refused(f"challenge_{spent}")
            passkey = await repository.by_credential_id(session, assertion.credential.id)
            if passkey is None:
                raise _Refused("unknown_credential")
            if expected_user is not None and passkey.user_id != expected_user:
                raise _Refused("other_account")
            if assertion.user_handle is not None and assertion.user_handle != passkey.user_id.bytes:
                raise _Refused("user_handle_mismatch")
            await self._verify(session, passkey, assertion, meta)
        except _Refused as refused:
            await notices.audit(
                session,
                "passkey.refused",
                user_id=passkey.user_id if passkey is not None else expected_user,
                email=None,
                meta=meta,
                details={
                    "reason": refused.reason,
                    "during": purpose,
                    **({"passkey_id": str(passkey.id)} if passkey is not None else {}),
                },
            )
            return PasskeyOutcome(PasskeyResult.INVALID, reason=refused.reason)
        user_id = passkey.user_id
        if pending is not None:
            user = await session.get(User, user_id)
            if user is None or user.security_stamp != pending[1]:
                return PasskeyOutcome(PasskeyResult.EXPIRED)
        amr = amr_of(passkey) if pending is None else ["pwd", *amr_of(passkey)]
        outcome = await self._complete(session, user_id, meta, on_success, amr, "passkey")
        if outcome.result is PasskeyResult.OK:
            user = await session.get(User, user_id)
            assert user is not None
            await notices.audit(
                session,
                "passkey.used",
                user_id=user_id,
                email=user.email,
                meta=meta,
                details={**notices.passkey_details(passkey), "during": purpose},
            )
            await notices.notify(
                session, user, passkey, "used", utcnow(), public_url=self._public_url
            )
        return outcome

    async def _verify(
        self, session: AsyncSession, passkey: Passkey, assertion: Assertion, meta: RequestMeta
    ) -> None:
        challenge = ceremony.challenge_of(assertion.credential.response.client_data_json)
        seen = passkey.sign_count
        try:
            used = ceremony.verify_assertion(
                self.rp,
                assertion,
                challenge,
                public_key=passkey.public_key,
                stored_sign_count=seen,
            )
        except CeremonyFailed as failed:
            if failed.reason == "counter_went_back":
                await self._clone_suspected(session, passkey, meta)
            raise _Refused(failed.reason) from None
        stored = await repository.record_use(
            session,
            passkey.id,
            seen_count=seen,
            new_count=used.sign_count,
            backed_up=used.backed_up,
            now=utcnow(),
        )
        if not stored:
            raise _Refused("counter_raced")

    async def _clone_suspected(
        self, session: AsyncSession, passkey: Passkey, meta: RequestMeta
    ) -> None:
        user = await session.get(User, passkey.user_id)
        if user is None:
            return
        await notices.audit(
            session,
            "passkey.clone_suspected",
            user_id=user.id,
            email=user.email,
            meta=meta,
            details={**notices.passkey_details(passkey), "stored_sign_count": passkey.sign_count},
        )
        await notices.notify(
            session, user, passkey, "cloned", utcnow(), public_url=self._public_url
        )

    @staticmethod
    async def _complete(
        session: AsyncSession,
        user_id: uuid.UUID,
        meta: RequestMeta,
        on_success: Complete[T],
        amr: list[str],
        factor: str,
    ) -> PasskeyOutcome[T]:
        def work(sync: Session) -> PasskeyOutcome[T]:
            candidate = login_repository.find_candidate_by_id(sync, user_id)
            if candidate is None:
                return PasskeyOutcome(PasskeyResult.NOT_ALLOWED)
            login_repository.record_success(sync, user_id, now=utcnow(), new_hash=None)
            if not login_repository.may_log_in(sync, user_id).allowed:
                record_login_event(
                    sync, "login.refused", candidate, meta, {"reason": "account_not_allowed"}
                )
                return PasskeyOutcome(PasskeyResult.NOT_ALLOWED)
            record_login_event(
                sync, "login.succeeded", candidate, meta, {"method": factor, "amr": amr}
            )
            return PasskeyOutcome(
                PasskeyResult.OK, on_success(sync, user_id, candidate.security_stamp, amr)
            )

        return await session.run_sync(work)


def _parse(raw: str) -> Assertion:
    try:
        return ceremony.parse_assertion(raw)
    except CeremonyFailed as failed:
        raise _Refused(failed.reason) from None
