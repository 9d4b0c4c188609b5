"""Activating an account: the emailed link's token, the code, and a new password.

The steps, and why they are apart:

1. Read the token and its user (a short read) and check the password against the policy with the
   user's context words (CPU, in a thread).
2. In a write transaction holding the token's row lock, compare the code. A wrong code is counted
   on the token (5 lock it) and on the account (``activation_failures``, kept across resends) and
   *committed* before the answer goes out — the lock guarantees that parallel guesses each see
   the true count, so nobody gets more than ``activation_max_attempts`` tries at one code.
3. Hash the password (Argon2id, in a thread, outside any transaction: it takes tens of
   milliseconds and must not hold SQLite's write lock).
4. In a second write transaction, consume the token with a conditional UPDATE
   (``used_at IS NULL``…): of any number of racing activations exactly one updates a row; the
   others get ``INVALID_OR_EXPIRED_CODE``. The winner activates the user, accepts the one
   invitation the link was mailed for, if any — never the account's other invitations, which stay
   offers (domain.members.acceptance: an account left in no organization gets
   ``INVITATION_EXPIRED`` and stays pending) — and activates every pending organization it is
   Super Admin of.

One error code, ``INVALID_OR_EXPIRED_CODE``, covers an unknown link, a wrong, expired, used,
replaced or locked code, and an account paused after too many failures: a client needs one
reaction ("check the code or ask for a new email"). The message says which, because it only
reaches whoever holds the 256-bit link — it tells them nothing about any other account.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import timedelta

from domain.accounts import limits, repository
from domain.accounts.errors import INVALID_OR_EXPIRED_CODE
from domain.accounts.passwords import PasswordPolicy, password_error
from domain.accounts.tokens import TokenState, code_matches, find_token, state_of
from domain.accounts.validation import NAME_MAX, clean_text
from domain.audit.service import record, record_account
from domain.context import RequestMeta
from domain.dependencies import AccountDeps
from domain.enums import TokenPurpose, UserStatus
from domain.errors import FieldError, UserErrors, Validator
from domain.members.acceptance import accept_on_activation
from kit.clock import utcnow
from kit.ratelimit import Reservation
from settings import Settings

ACTIVATED_MESSAGE = "Your account is verified successfully."

_MESSAGES: dict[TokenState | str, str] = {
    TokenState.UNKNOWN: "This activation link is not valid. Request a new activation email.",
    TokenState.USED: "This activation link was already used. Sign in, or request a new email.",
    TokenState.SUPERSEDED: "A newer activation email replaced this one. Use the latest email.",
    TokenState.EXPIRED: "This activation code has expired. Request a new activation email.",
    TokenState.LOCKED: "Too many wrong codes: this code is locked. Request a new activation email.",
    "WRONG": "The activation code is not correct.",
    "PAUSED": "Too many failed activation attempts on this account. Try again later.",
}


@dataclass(frozen=True, slots=True)
class ActivatedAccount:
    user_id: uuid.UUID
    email: str
    activated_organization_ids: list[uuid.UUID]


def password_policy(settings: Settings) -> PasswordPolicy:
    return PasswordPolicy(
        min_length=settings.password_min_length,
        max_length=settings.password_max_length,
        min_guesses_log10=settings.password_min_guesses_log10,
    )


def _code_error(reason: TokenState | str, prefix: tuple[str, ...]) -> FieldError:
    return FieldError(INVALID_OR_EXPIRED_CODE, _MESSAGES[reason], (*prefix, "code"))


def _paused(failures: int, last_failure: object, settings: Settings) -> bool:
    """Past the account-wide cap, activation by code pauses for one code lifetime after the
    last failure (a resend does not lift it: it is what the cap is about)."""
    if failures < settings.activation_account_max_failures or last_failure is None:
        return False
    pause = timedelta(seconds=settings.activation_ttl_seconds)
    return bool(utcnow() < last_failure + pause)  # type: ignore[operator]


async def activate_account(
    deps: AccountDeps,
    meta: RequestMeta,
    *,
    token: str,
    code: str,
    new_password: str,
    field_prefix: tuple[str, ...] = ("input",),
    first_name: str | None = None,
    last_name: str | None = None,
) -> ActivatedAccount:
    """Set the password and activate. Raises ``UserErrors`` (after committing any failure
    count) or ``RateLimited``. Shared by GraphQL's ``activateAccount`` and the hosted page.

    ``first_name``/``last_name``, when given, become the account's names: the invitee sets
    their own (an account an invitation made has none; the inviter never chooses them)."""
    settings = deps.settings
    limiter = deps.limiter
    policy = password_policy(settings)
    # Only failures count per address: sixteen people activating behind one office address are
    # not an attack; someone trying link after link, or code after code, is.
    budget = await limits.failure_budget(
        limiter, settings.rate_limit_activation_failures_per_address, "activation", meta
    )
    async with budget:  # given back unless the link or the code was wrong
        password_field = (*field_prefix, "newPassword")
        if len(new_password) > policy.max_length:
            # Refused before anything else looks at it, let alone hashes it.
            too_long = await password_error(new_password, policy=policy, field=password_field)
            assert too_long is not None
            raise UserErrors([too_long])

        names = Validator(field_prefix)
        first = clean_text(
            names, "firstName", first_name, label="First name", max_length=NAME_MAX, required=False
        )
        last = clean_text(
            names, "lastName", last_name, label="Last name", max_length=NAME_MAX, required=False
        )

        # 1. the token, its user, and the password against the policy
        async with deps.db.read_session() as session:
            row = await find_token(session, token, TokenPurpose.ACTIVATION)
            user = await repository.user_by_id(session, row.user_id) if row else None
            organizations = await repository.organization_names_of(session, user.id) if user else []
        context = [user.email, user.first_name, user.last_name, *organizations] if user else []
        context += [name for name in (first, last) if name]
        errors: list[FieldError] = list(names.errors)
        problem = await password_error(
            new_password, policy=policy, context=context, field=password_field
        )
        if problem is not None:
            errors.append(problem)
        if row is None or user is None:
            budget.keep()
            raise UserErrors([_code_error(TokenState.UNKNOWN, field_prefix), *errors])
        await limits.per_account(
            limiter, settings.rate_limit_activation, "activation", str(user.id)
        )

        # 2. the code, under the token's row lock
        code_key = await deps.secrets.account_code_key()
        failure = await _check_code(deps, token, code, code_key, meta, field_prefix, budget)
        if failure is not None:
            raise UserErrors([failure, *errors])
    if errors:
        raise UserErrors(errors)

    # 3. the hash, outside any transaction
    password_hash = await deps.hasher.hash(new_password)

    # 4. exactly one winner
    async with deps.db.unit_of_work() as session:
        now = utcnow()
        won = await repository.consume_token(
            session, row.id, now, settings.activation_max_attempts
        ) and await repository.activate_user(session, user.id, password_hash, now)
        if not won:
            # Another activation got there first (or a resend replaced the code meanwhile).
            raise UserErrors([_code_error(TokenState.USED, field_prefix)])
        if first is not None or last is not None:
            await repository.set_names(session, user.id, first, last)
        # An invitation's link accepts that invitation; one left with none is not activated.
        await accept_on_activation(
            session,
            user_id=user.id,
            email=user.email,
            invitation_id=row.invitation_id,
            max_customer_organizations=settings.max_customer_organizations_per_user,
            meta=meta,
            field=(*field_prefix, "token"),
        )
        organization_ids = await repository.pending_organizations_led_by(session, user.id)
        await repository.activate_organizations(session, organization_ids, now)
        await record_account(
            session,
            "account.activated",
            user_id=user.id,
            email=user.email,
            meta=meta,
        )
        for organization_id in organization_ids:
            await record(
                session,
                "organization.activated",
                meta=meta,
                actor_user_id=user.id,
                actor_email=user.email,
                organization_id=organization_id,
                target_type="organization",
                target_id=organization_id,
            )
    return ActivatedAccount(user.id, user.email, organization_ids)


async def _check_code(
    deps: AccountDeps,
    token: str,
    code: str,
    code_key: bytes,
    meta: RequestMeta,
    field_prefix: tuple[str, ...],
    budget: Reservation,
) -> FieldError | None:
    """Compare the code while holding the token's row; count (``budget.keep()``) and commit a
    wrong one."""
    settings = deps.settings
    max_attempts = settings.activation_max_attempts
    async with deps.db.unit_of_work() as session:
        row = await find_token(session, token, TokenPurpose.ACTIVATION, for_update=True)
        user = await repository.user_by_id(session, row.user_id) if row else None
        now = utcnow()
        state = state_of(row, now=now, max_attempts=max_attempts)
        if row is None or user is None:
            return _code_error(TokenState.UNKNOWN, field_prefix)
        if user.status is not UserStatus.PENDING:
            return _code_error(TokenState.USED, field_prefix)
        if state is not TokenState.USABLE:
            return _code_error(state, field_prefix)
        if _paused(user.activation_failures, user.last_activation_failure_at, settings):
            return _code_error("PAUSED", field_prefix)
        if code_matches(row, code, code_key):
            return None
        attempt = row.failed_attempts + 1
        await repository.count_wrong_code(session, row.id, user.id, now)
        await record(
            session,
            "account.activation_locked" if attempt >= max_attempts else "account.activation_failed",
            meta=meta,
            actor_email=user.email,
            target_type="user",
            target_id=user.id,
            details={"attempt": attempt, "token_id": str(row.id)},
        )
    budget.keep()
    return _code_error(TokenState.LOCKED if attempt >= max_attempts else "WRONG", field_prefix)
