"""The accounts area's use cases on the viewer's own account: their names (``updateProfile``),
their password (``changePassword``), their sessions (``Viewer.sessions``, ``endSession``,
``endOtherSessions``).

The area's other use cases live in modules named after them, each a flow of its own:
``registration`` (customer sign-up), ``activation``, ``resend`` (a new activation link),
``password_reset``, ``admins`` (the ``create-admin`` command). The rest are rules they share
(``validation``, ``forms``, ``passwords``, ``hashing``, ``tokens``, ``mailing``, ``limits``,
``rehearsal``, ``known_address``); ``repository`` holds every query, ``errors`` the codes.

* Changing the password asks for the current one (ASVS 5.0 6.2.3: a stolen access token must not
  be able to lock the owner out), counts wrong ones per account like the other
  re-authentications (``PORTAL_RATE_LIMIT_TWO_FACTOR``), checks the new one against the password
  policy with the account's own words, and then does what a reset link does
  (``password_reset.signed_out_with_notice``): the security stamp moves on, every grant, refresh
  token and browser session ends and a notice is mailed — except the caller's own session (its
  grant, its browser session: "This session" in the sessions list), which is re-stamped and stays
  signed in. The person just proved the current password there; ending it too would only make
  them type the new one at once. The access token the caller used carries the old stamp and is
  refused from now on: the caller refreshes it (its refresh token is kept), as the console does.
* A session is a live grant (not revoked, not expired, issued under the current security stamp).
  Its device and address are those of the hosted-page browser session it came from; it was last
  seen when that browser session or its refresh-token family last moved. Ending one revokes the
  grant and its refresh tokens and ends its browser session — with every other grant of that
  browser, so that the browser cannot silently sign in again. "Others" are every session that is
  not the caller's (the caller's grant, and the grants of the caller's browser session).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import BrowserSession, OAuthGrant, User
from domain.accounts import repository
from domain.accounts.activation import password_policy
from domain.accounts.errors import INVALID_PASSWORD, NOT_FOUND
from domain.accounts.password_reset import require_policy, signed_out_with_notice
from domain.accounts.passwords import password_error
from domain.accounts.validation import NAME_MAX, clean_text
from domain.audit.service import record_account, record_by
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.enums import UserStatus
from domain.errors import Forbidden, RateLimited, UserError, UserErrors, Validator
from domain.members import repository as members_repo
from kit.clock import utcnow
from kit.ids import parse_uuid

# --- names and password ---------------------------------------------------------------------------


if TYPE_CHECKING:
    from domain.dependencies import AccountDeps

_LIMIT_KEY = "password_change"


@dataclass(frozen=True, slots=True)
class Profile:
    first_name: str
    last_name: str


async def update_profile(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    first_name: str | None,
    last_name: str | None,
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
    user = await members_repo.lock_user(session, principal.user_id)
    if user is None or user.status is not UserStatus.ACTIVE:
        raise Forbidden()
    before = Profile(user.first_name, user.last_name)
    if first_name is not None:
        user.first_name = first or ""
    if last_name is not None:
        user.last_name = last or ""
    after = Profile(user.first_name, user.last_name)
    if after != before:
        await record_account(
            session,
            "account.profile_updated",
            user_id=user.id,
            email=user.email,
            meta=meta,
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
    meta: RequestMeta,
    *,
    current_password: str,
    new_password: str,
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
                await record_account(
                    session,
                    "account.password_change_failed",
                    user_id=user.id,
                    email=user.email,
                    meta=meta,
                    details={"reason": "wrong_current_password"},
                )
            raise UserError(
                INVALID_PASSWORD,
                "The current password is incorrect.",
                ("input", "currentPassword"),
            )

    # 2. the policy, with the account's own words (CPU, in a thread)
    await require_policy(new_password, policy, user, organizations, new_field)

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


# --- sessions -------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class AccountSession:
    id: uuid.UUID
    client_name: str
    signed_in_at: datetime
    last_seen_at: datetime
    client_address: str | None
    user_agent: str | None
    two_factor: bool
    current: bool


async def list_sessions(session: AsyncSession, principal: Principal) -> list[AccountSession]:
    now = utcnow()
    grants = await repository.live_grants(session, principal.user_id, now)
    ids = [g.id for g, _, _ in grants]
    refreshed = await repository.last_refreshed(session, ids)
    current = _current_browser(principal, grants)
    out = []
    for grant, browser, name in grants:
        seen = [grant.auth_time, refreshed.get(grant.id, grant.auth_time)]
        if browser is not None:
            seen.append(browser.last_seen_at)
        out.append(
            AccountSession(
                id=grant.id,
                client_name=name,
                signed_in_at=grant.auth_time,
                last_seen_at=max(seen),
                client_address=browser.client_address if browser else None,
                user_agent=browser.user_agent if browser else None,
                two_factor="otp" in (grant.amr or ""),
                current=grant.id == principal.grant_id
                or (current is not None and grant.browser_session_id == current),
            )
        )
    return out


def _current_browser(
    principal: Principal, grants: list[tuple[OAuthGrant, BrowserSession | None, str]]
) -> uuid.UUID | None:
    for grant, _, _ in grants:
        if grant.id == principal.grant_id:
            return grant.browser_session_id
    return None


async def end_session(
    session: AsyncSession, principal: Principal, meta: RequestMeta, session_id: str
) -> uuid.UUID:
    """Sign out one session of the viewer's (their own current one too). A session that is not
    theirs, or not live, is ``NOT_FOUND``."""
    missing = UserError(NOT_FOUND, "That session has already ended.", ("id",))
    grant_id = parse_uuid(session_id)
    if grant_id is None:
        raise missing
    now = utcnow()
    live = {g.id for g, _, _ in await repository.live_grants(session, principal.user_id, now)}
    if grant_id not in live:
        raise missing
    grants, browsers = await repository.end_grants(session, principal.user_id, [grant_id], now)
    await record_by(
        session,
        principal,
        meta,
        "account.session_ended",
        target=("user", principal.user_id),
        details={
            "grant_id": str(grant_id),
            "grants_revoked": grants,
            "browser_sessions_ended": browsers,
            "own": grant_id == principal.grant_id,
        },
    )
    return grant_id


async def end_other_sessions(session: AsyncSession, principal: Principal, meta: RequestMeta) -> int:
    """Sign out every session of the viewer's but the caller's. Returns how many ended. (A token
    of no grant — the provider issues none — holds none of them: every one is another.)"""
    now = utcnow()
    grants = await repository.live_grants(session, principal.user_id, now)
    mine = _current_browser(principal, grants)
    others = [
        g.id
        for g, _, _ in grants
        if g.id != principal.grant_id and (mine is None or g.browser_session_id != mine)
    ]
    revoked, browsers = (
        await repository.end_grants(session, principal.user_id, others, now) if others else (0, 0)
    )
    await record_by(
        session,
        principal,
        meta,
        "account.other_sessions_ended",
        target=("user", principal.user_id),
        details={"grants_revoked": revoked, "browser_sessions_ended": browsers},
    )
    return len(others)
