"""The viewer's own two-factor settings (GraphQL): start and confirm TOTP enrollment, turn it off,
new recovery codes.

Changing a factor asks for a factor (ASVS 5.0 §7.5.1: re-authenticate before changing what
authenticates): starting an enrollment takes the password — otherwise a stolen access token could
put the attacker's authenticator on the account and lock its owner out — and turning TOTP off or
replacing the recovery codes takes a current code (or a recovery code) or the password. Wrong
proofs are counted per account (``PORTAL_RATE_LIMIT_TWO_FACTOR``) and audited; the audit event
is committed before the refusal is answered.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.orm import Session

from domain.audit.service import record_by
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.dependencies import AccountDeps
from domain.errors import FieldError, RateLimited, UserError, UserErrors
from domain.two_factor import errors, repository, service
from domain.two_factor.recovery import RECOVERY_CODE_KEY
from domain.two_factor.sealing import TOTP_SEALING_KEY
from domain.two_factor.service import Check, Enrollment, Keys
from kit.clock import utcnow
from kit.ratelimit import Reservation

T = TypeVar("T")
PASSWORD_FIELD = ("input", "password")
CODE_FIELD = service.CODE_FIELD
_LIMIT_KEY = "two_factor"


async def keys_of(deps: AccountDeps) -> Keys:
    return Keys(
        sealing=await deps.secrets.get(TOTP_SEALING_KEY),
        recovery=await deps.secrets.get(RECOVERY_CODE_KEY),
    )


async def _in_transaction(deps: AccountDeps, call: Callable[[Session], T]) -> T:
    async with deps.db.unit_of_work() as session:
        return await session.run_sync(call)


async def _guard(deps: AccountDeps, user_id: uuid.UUID) -> Reservation:
    """A wrong proof reserved before the proof is checked (so that a burst cannot pass the limit):
    evaluate inside ``async with`` and ``keep()`` it when the proof is wrong."""
    budget = (deps.settings.rate_limit_two_factor, _LIMIT_KEY, str(user_id))
    reservation = await deps.limiter.reserve(budget)
    if reservation is None:
        raise RateLimited()
    return reservation


async def _check_password(
    deps: AccountDeps,
    principal: Principal,
    password: str,
    meta: RequestMeta,
    budget: Reservation,
    *,
    during: str,
) -> None:
    """The viewer's password, verified outside any transaction (Argon2 in a worker thread)."""
    stored = None
    if len(password) <= deps.settings.password_max_length:
        async with deps.db.read_session() as session:
            row = await session.run_sync(lambda s: repository.totp_row(s, principal.user_id))
        stored = row.password_hash if row is not None else None
    verified = await deps.hasher.verify(stored, password)
    if verified.ok:
        return
    budget.keep()
    async with deps.db.unit_of_work() as session:
        await record_by(
            session,
            principal,
            meta,
            "totp.reauthentication_failed",
            target=("user", principal.user_id),
            details={"during": during},
        )
    raise UserError(errors.INVALID_PASSWORD, "The password is incorrect.", PASSWORD_FIELD)


def _invalid_code() -> UserError:
    return UserError(errors.INVALID_TOTP_CODE, errors.INVALID_CODE_MESSAGE, CODE_FIELD)


async def start_enrollment(
    deps: AccountDeps, principal: Principal, meta: RequestMeta, *, password: str
) -> Enrollment:
    async with await _guard(deps, principal.user_id) as budget:
        await _check_password(deps, principal, password, meta, budget, during="enrollment")
    keys = await keys_of(deps)
    return await _in_transaction(
        deps,
        lambda s: service.begin_enrollment(s, keys, principal.user_id, meta, via="graphql"),
    )


async def confirm_enrollment(
    deps: AccountDeps, principal: Principal, meta: RequestMeta, *, code: str
) -> list[str]:
    async with await _guard(deps, principal.user_id) as budget:
        keys = await keys_of(deps)
        confirmation = await _in_transaction(
            deps,
            lambda s: service.confirm_enrollment(
                s, keys, principal.user_id, code, utcnow(), meta, via="graphql"
            ),
        )
        if confirmation.recovery_codes is None:
            budget.keep()
            raise _invalid_code()
    return confirmation.recovery_codes


async def _with_proof(
    deps: AccountDeps,
    principal: Principal,
    *,
    code: str | None,
    password: str | None,
    meta: RequestMeta,
    during: str,
    then: Callable[[Session, repository.TotpRow, str], T],
) -> T:
    """Run ``then(session, row, proof)`` once the viewer proved a factor: the password, or a
    code of the enabled TOTP (a recovery code counts, and is spent)."""
    if not code and not password:
        raise UserErrors(
            [
                FieldError(errors.REQUIRED, "Enter a code from your app or your password.", f)
                for f in (CODE_FIELD, PASSWORD_FIELD)
            ]
        )
    async with await _guard(deps, principal.user_id) as budget:
        if password:
            await _check_password(deps, principal, password, meta, budget, during=during)
        keys = await keys_of(deps)
        refused = False

        def work(session: Session) -> T | None:
            nonlocal refused
            row = repository.totp_row(session, principal.user_id)
            if row is None or not row.enabled:
                raise UserError(errors.TOTP_NOT_ENABLED, "Two-factor login is not on.")
            if password:
                return then(session, row, "password")
            assert code is not None
            check = service.check_code(session, keys, row, code, utcnow(), meta)
            if not check.ok:
                service.record_failure(session, row, check, meta, during=during)
                refused = True
                return None
            return then(session, row, "recovery_code" if check is Check.RECOVERY_CODE else "totp")

        result = await _in_transaction(deps, work)
        if refused:
            budget.keep()
            raise _invalid_code()
        assert result is not None
        return result


async def disable(
    deps: AccountDeps,
    principal: Principal,
    meta: RequestMeta,
    *,
    code: str | None,
    password: str | None,
) -> bool:
    def off(session: Session, row: repository.TotpRow, proof: str) -> bool:
        service.disable(session, row, meta, proof=proof)
        return True

    return await _with_proof(
        deps, principal, code=code, password=password, meta=meta, during="disable", then=off
    )


async def regenerate_recovery_codes(
    deps: AccountDeps,
    principal: Principal,
    meta: RequestMeta,
    *,
    code: str | None,
    password: str | None,
) -> list[str]:
    keys = await keys_of(deps)

    def renew(session: Session, row: repository.TotpRow, proof: str) -> list[str]:
        return service.regenerate_recovery_codes(session, keys, row, utcnow(), meta, proof=proof)

    return await _with_proof(
        deps,
        principal,
        code=code,
        password=password,
        meta=meta,
        during="regenerate_recovery_codes",
        then=renew,
    )
