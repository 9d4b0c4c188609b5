"""The viewer's own account: their names (``updateProfile``) and their password
(``changePassword``).

Changing the password asks for the current one (ASVS 5.0 6.2.3: a stolen access token must not be
able to lock the owner out), counts wrong ones per account like the other re-authentications
(``PORTAL_RATE_LIMIT_TWO_FACTOR``), checks the new one against the password policy with the
account's own words, and then does what a reset link does (``password_reset.signed_out_with_notice``):
the security stamp moves on, every grant, refresh token and browser session ends and a notice is
mailed — except the caller's own session (its grant, its browser session: "This session" in the
sessions list), which is re-stamped and stays signed in. The person just proved the current
password there; ending it too would only make them type the new one at once. The access token
the caller used carries the old stamp and is refused from now on: the caller refreshes it (its
refresh token is kept), as the console does.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

from db.models import User
from domain.accounts import repository
from domain.accounts.activation import password_policy
from domain.accounts.password_reset import signed_out_with_notice
from domain.accounts.passwords import password_error
from domain.accounts.validation import NAME_MAX, clean_text
from domain.audit.service import record
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.enums import UserStatus
from domain.errors import Forbidden, RateLimited, UserError, UserErrors, Validator
from kit.clock import utcnow

if TYPE_CHECKING:
    from domain.dependencies import AccountDeps, HasDb

INVALID_PASSWORD = "INVALID_PASSWORD"  # noqa: S105 (an error code)
_LIMIT_KEY = "password_change"


@dataclass(frozen=True, slots=True)
class Profile:
    first_name: str
    last_name: str


async def update_profile(
    deps: HasDb,
    principal: Principal,
    *,
    first_name: str | None,
    last_name: str | None,
    meta: RequestMeta,
) -> User:
    """Set the viewer's first and last name (``None`` leaves one as it is; an empty one clears
    it). Audited ``account.profile_updated`` with the names before and after."""
    names = Validator(("input",))
    first = clean_text(
        names, "firstName", first_name, label="First name", max_length=NAME_MAX, required=False
    )
    last = clean_text(
        names, "lastName", last_name, label="Last name", max_length=NAME_MAX, required=False
    )
    names.raise_if_any()
    async with deps.db.unit_of_work() as session:
        user = await session.get(User, principal.user_id, with_for_update=True)
        if user is None or user.status is not UserStatus.ACTIVE:
            raise Forbidden()
        before = Profile(user.first_name, user.last_name)
        if first_name is not None:
            user.first_name = first or ""
        if last_name is not None:
            user.last_name = last or ""
        after = Profile(user.first_name, user.last_name)
        if after != before:
            await record(
                session,
                "account.profile_updated",
                meta=meta,
                actor_user_id=user.id,
                actor_email=user.email,
                target_type="user",
                target_id=user.id,
                details={
                    "before": {"first_name": before.first_name, "last_name": before.last_name},
                    "after": {"first_name": after.first_name, "last_name": after.last_name},
                },
            )
        await session.flush()
        return user


async def change_password(
    deps: AccountDeps,
    principal: Principal,
    *,
    current_password: str,
    new_password: str,
    meta: RequestMeta,
) -> None:
    """Replace the viewer's password. Raises ``UserErrors`` (``INVALID_PASSWORD`` on
    ``input.currentPassword``; the policy's codes on ``input.newPassword``) or ``RateLimited``."""
    settings = deps.settings
    policy = password_policy(settings)
    new_field = ("input", "newPassword")
    if len(new_password) > policy.max_length:
        too_long = await password_error(new_password, policy=policy, field=new_field)
        assert too_long is not None
        raise UserErrors([too_long])

    # 1. the current password, counted when wrong (outside any transaction: Argon2 in a thread)
    budget = (settings.rate_limit_two_factor, _LIMIT_KEY, str(principal.user_id))
    reservation = await deps.limiter.reserve(budget)
    if reservation is None:
        raise RateLimited()
    async with reservation:
        async with deps.db.read_session() as session:
            user = await repository.user_by_id(session, principal.user_id)
            organizations = await repository.organization_names_of(session, principal.user_id)
        if user is None or user.status is not UserStatus.ACTIVE:
            raise Forbidden()
        stored = user.password_hash if len(current_password) <= policy.max_length else None
        verified = await deps.hasher.verify(stored, current_password)
        if not verified.ok:
            reservation.keep()
            async with deps.db.unit_of_work() as session:
                await record(
                    session,
                    "account.password_change_failed",
                    meta=meta,
                    actor_user_id=user.id,
                    actor_email=user.email,
                    target_type="user",
                    target_id=user.id,
                    details={"reason": "wrong_current_password"},
                )
            raise UserError(
                INVALID_PASSWORD,
                "The current password is incorrect.",
                ("input", "currentPassword"),
            )

    # 2. the policy, with the account's own words (CPU, in a thread)
    problem = await password_error(
        new_password,
        policy=policy,
        context=[user.email, user.first_name, user.last_name, *organizations],
        field=new_field,
    )
    if problem is not None:
        raise UserErrors([problem])

    # 3. the hash, outside any transaction; 4. the change and everything it implies
    password_hash = await deps.hasher.hash(new_password)
    async with deps.db.unit_of_work() as session:
        now = utcnow()
        if not await repository.reset_password_of_active_user(session, user.id, password_hash, now):
            raise Forbidden()
        await signed_out_with_notice(
            session,
            settings,
            user,
            now,
            meta=meta,
            action="account.password_changed",
            details={"kept_grant": str(principal.grant_id) if principal.grant_id else None},
            keep_grant=principal.grant_id,
        )
