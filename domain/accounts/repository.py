"""Every query of the accounts area: users, their emailed tokens, their sessions, and signing a
user out everywhere."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import (
    AccountToken,
    AuthorizationCode,
    BrowserSession,
    Membership,
    OAuthClient,
    OAuthGrant,
    Organization,
    RefreshToken,
    User,
)
from db.savepoint import add_in_savepoint
from domain.enums import OrganizationStatus, Role, TokenPurpose, UserStatus
from domain.members import repository as members_repository


class EmailTaken(Exception):
    """Another transaction registered this email first (the unique index said so)."""


async def user_by_email(session: AsyncSession, email: str) -> User | None:
    result: User | None = await session.scalar(select(User).where(User.email == email))
    return result


async def user_by_id(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    return await session.get(User, user_id)


async def add_pending_user(
    session: AsyncSession, *, email: str, first_name: str, last_name: str
) -> User:
    """Insert a user awaiting activation. Two sign-ups racing for one email: the loser gets
    ``EmailTaken`` and its transaction stays usable (the insert ran in a savepoint)."""
    user = User(email=email, first_name=first_name, last_name=last_name, status=UserStatus.PENDING)
    if not await add_in_savepoint(session, user):
        raise EmailTaken(email)
    return user


async def lock_unclaimed_account(session: AsyncSession, user_id: uuid.UUID) -> User | None:
    """The account, locked, if it is still pending and belongs to no organization — made by an
    invitation, nobody's yet (domain.accounts.registration); None otherwise.

    Locked after its unused activation links, in the order of domain.members.repository.
    """
    user = await members_repository.lock_account(session, user_id)
    # Asked whatever the account's state: the sign-up forms' paths must be the same statements
    # for every address (tests/accounts/test_enumeration.py).
    member = await session.scalar(
        select(Membership.id).where(Membership.user_id == user_id).limit(1)
    )
    if user is None or user.status is not UserStatus.PENDING or member is not None:
        return None
    return user


async def organization_names_of(session: AsyncSession, user_id: uuid.UUID) -> list[str]:
    rows = await session.scalars(
        select(Organization.name)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(Membership.user_id == user_id)
        .order_by(Membership.created_at)
    )
    return list(rows)


async def first_organization_name(session: AsyncSession, user_id: uuid.UUID) -> str | None:
    names = await organization_names_of(session, user_id)
    return names[0] if names else None


# --- emailed tokens --------------------------------------------------------------------------


async def supersede_tokens(
    session: AsyncSession, user_id: uuid.UUID, purpose: TokenPurpose, now: datetime
) -> None:
    """A new link replaces every earlier unused one of the same purpose."""
    await session.execute(
        update(AccountToken)
        .where(
            AccountToken.user_id == user_id,
            AccountToken.purpose == purpose,
            AccountToken.used_at.is_(None),
            AccountToken.superseded_at.is_(None),
        )
        .values(superseded_at=now)
    )


async def token_by_link_hash(
    session: AsyncSession, link_token_hash: str, purpose: TokenPurpose, *, for_update: bool = False
) -> AccountToken | None:
    query = select(AccountToken).where(
        AccountToken.link_token_hash == link_token_hash, AccountToken.purpose == purpose
    )
    if for_update:
        # PostgreSQL: concurrent guesses at one code queue here, so that the attempt count each
        # of them sees is the true one. SQLite: a no-op; BEGIN IMMEDIATE already serializes.
        query = query.with_for_update()
    result: AccountToken | None = await session.scalar(
        query.execution_options(populate_existing=True)
    )
    return result


async def count_wrong_code(
    session: AsyncSession, token_id: uuid.UUID, user_id: uuid.UUID, now: datetime
) -> None:
    await session.execute(
        update(AccountToken)
        .where(AccountToken.id == token_id)
        .values(failed_attempts=AccountToken.failed_attempts + 1)
    )
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(activation_failures=User.activation_failures + 1, last_activation_failure_at=now)
    )


async def consume_token(
    session: AsyncSession, token_id: uuid.UUID, now: datetime, max_attempts: int
) -> bool:
    """Mark the token used if it still can be; True for exactly one of any racing callers."""
    result = await session.execute(
        update(AccountToken)
        .where(
            AccountToken.id == token_id,
            AccountToken.used_at.is_(None),
            AccountToken.superseded_at.is_(None),
            AccountToken.expires_at > now,
            AccountToken.failed_attempts < max_attempts,
        )
        .values(used_at=now)
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def set_names(
    session: AsyncSession, user_id: uuid.UUID, first_name: str | None, last_name: str | None
) -> None:
    """The names the account's owner gave (either may be left as it is: None)."""
    values = {
        key: value
        for key, value in (("first_name", first_name), ("last_name", last_name))
        if value is not None
    }
    await session.execute(
        update(User)
        .where(User.id == user_id)
        .values(**values)
        .execution_options(synchronize_session=False)
    )


async def activate_user(
    session: AsyncSession, user_id: uuid.UUID, password_hash: str, now: datetime
) -> bool:
    result = await session.execute(
        update(User)
        .where(User.id == user_id, User.status == UserStatus.PENDING)
        .values(
            status=UserStatus.ACTIVE,
            password_hash=password_hash,
            password_changed_at=now,
            activated_at=now,
            activation_failures=0,
            last_activation_failure_at=None,
        )
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


async def pending_organizations_led_by(
    session: AsyncSession, user_id: uuid.UUID
) -> list[uuid.UUID]:
    rows = await session.scalars(
        select(Organization.id)
        .join(Membership, Membership.organization_id == Organization.id)
        .where(
            Membership.user_id == user_id,
            Membership.role == Role.SUPER_ADMIN,
            Organization.status == OrganizationStatus.PENDING,
        )
    )
    return list(rows)


async def activate_organizations(
    session: AsyncSession, organization_ids: list[uuid.UUID], now: datetime
) -> None:
    if organization_ids:
        await session.execute(
            update(Organization)
            .where(
                Organization.id.in_(organization_ids),
                Organization.status == OrganizationStatus.PENDING,
            )
            .values(status=OrganizationStatus.ACTIVE, activated_at=now)
        )


async def role_in(
    session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID
) -> Role | None:
    role: Role | None = await session.scalar(
        select(Membership.role).where(
            Membership.user_id == user_id, Membership.organization_id == organization_id
        )
    )
    return role


async def add_membership(
    session: AsyncSession, user_id: uuid.UUID, organization_id: uuid.UUID, role: Role
) -> Membership:
    membership = Membership(user_id=user_id, organization_id=organization_id, role=role)
    session.add(membership)
    await session.flush()
    return membership


# --- password reset ----------------------------------------------------------------------------


async def reset_password_of_active_user(
    session: AsyncSession, user_id: uuid.UUID, password_hash: str, now: datetime
) -> bool:
    """Set a new password on an active account: the failure count starts again (the login's hard
    cap stops password login until a reset) and the security stamp moves on, so that access
    tokens and browser sessions issued under the old one are refused."""
    result = await session.execute(
        update(User)
        .where(User.id == user_id, User.status == UserStatus.ACTIVE)
        .values(
            password_hash=password_hash,
            password_changed_at=now,
            login_failures=0,
            last_login_failure_at=None,
            security_stamp=User.security_stamp + 1,
        )
    )
    return bool(result.rowcount == 1)  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class SignedOut:
    grants: int
    refresh_tokens: int
    browser_sessions: int


async def sign_out_everywhere(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> SignedOut:
    """Revoke every grant and refresh token of the user, end every browser session, and let no
    authorization code still waiting for its exchange become a grant.

    The new security stamp alone already refuses all of them (identity.authenticate, the token
    endpoint, the session loader); the rows are ended too so that what the user sees — and what
    the audit log counts — is the truth, and a later bug in one stamp check cannot revive them.
    """
    return await _end_sessions(session, user_id, now)


async def _end_sessions(
    session: AsyncSession,
    user_id: uuid.UUID,
    now: datetime,
    *,
    kept_grants: list[uuid.UUID] | None = None,
    kept_browser: uuid.UUID | None = None,
) -> SignedOut:
    """What both sign-outs end: the user's grants and refresh tokens (but ``kept_grants`` and
    their token families), browser sessions (but ``kept_browser``) and pending codes."""
    grants = update(OAuthGrant).where(
        OAuthGrant.user_id == user_id, OAuthGrant.revoked_at.is_(None)
    )
    tokens = update(RefreshToken).where(
        RefreshToken.user_id == user_id, RefreshToken.revoked_at.is_(None)
    )
    if kept_grants is not None:
        grants = grants.where(OAuthGrant.id.not_in(kept_grants))
        tokens = tokens.where(RefreshToken.family_id.not_in(kept_grants))
    ended = update(BrowserSession).where(
        BrowserSession.user_id == user_id, BrowserSession.ended_at.is_(None)
    )
    if kept_browser is not None:
        ended = ended.where(BrowserSession.id != kept_browser)
    revoked_grants = await session.execute(grants.values(revoked_at=now))
    revoked_tokens = await session.execute(tokens.values(revoked_at=now))
    sessions = await session.execute(ended.values(ended_at=now))
    # Expired, not marked used: a used code presented again counts as a replay, which would
    # revoke what it issued — here it issued nothing, and "expired" is the honest answer.
    await session.execute(
        update(AuthorizationCode)
        .where(
            AuthorizationCode.user_id == user_id,
            AuthorizationCode.used_at.is_(None),
            AuthorizationCode.expires_at > now,
        )
        .values(expires_at=now)
    )
    return SignedOut(
        grants=int(revoked_grants.rowcount),  # type: ignore[attr-defined]
        refresh_tokens=int(revoked_tokens.rowcount),  # type: ignore[attr-defined]
        browser_sessions=int(sessions.rowcount),  # type: ignore[attr-defined]
    )


async def sign_out_elsewhere(
    session: AsyncSession, user_id: uuid.UUID, keep_grant: uuid.UUID, now: datetime
) -> SignedOut:
    """``sign_out_everywhere`` but for the caller's own session, after the security stamp moved
    on: the caller's grant and the other grants of its browser session (what the sessions list
    calls "This session"), their refresh tokens and that browser session stay, re-stamped with
    the new stamp so that they keep working; everything else ends. Only a grant that was live
    under the stamp just replaced is kept (never one that an earlier change had ended).

    The caller's access token still carries the old stamp and is refused from now on: its
    refresh token, kept, gets a new one (the console does so at once)."""
    new_stamp = select(User.security_stamp).where(User.id == user_id).scalar_subquery()
    own = (
        await session.execute(
            select(OAuthGrant.id, OAuthGrant.browser_session_id).where(
                OAuthGrant.id == keep_grant,
                OAuthGrant.user_id == user_id,
                OAuthGrant.revoked_at.is_(None),
                OAuthGrant.expires_at > now,
                OAuthGrant.security_stamp == new_stamp - 1,
            )
        )
    ).first()
    if own is None:
        return await sign_out_everywhere(session, user_id, now)
    browser = own.browser_session_id
    mine = OAuthGrant.id == keep_grant
    if browser is not None:
        mine = or_(mine, OAuthGrant.browser_session_id == browser)
    kept = list(
        (
            await session.scalars(
                update(OAuthGrant)
                .where(
                    OAuthGrant.user_id == user_id,
                    OAuthGrant.revoked_at.is_(None),
                    OAuthGrant.security_stamp == new_stamp - 1,
                    mine,
                )
                .values(security_stamp=new_stamp)
                .returning(OAuthGrant.id)
            )
        ).all()
    )
    if browser is not None:
        await session.execute(
            update(BrowserSession)
            .where(
                BrowserSession.id == browser,
                BrowserSession.ended_at.is_(None),
                BrowserSession.security_stamp == new_stamp - 1,
            )
            .values(security_stamp=new_stamp)
        )
    return await _end_sessions(session, user_id, now, kept_grants=kept, kept_browser=browser)


# --- the viewer's sessions (domain.accounts.service) -----------------------------------------------


async def live_grants(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> list[tuple[OAuthGrant, BrowserSession | None, str]]:
    """The account's live grants (not revoked, not expired, issued under the current security
    stamp), newest sign-in first, with their live browser session and their client's name."""
    stamp = select(User.security_stamp).where(User.id == user_id).scalar_subquery()
    rows = await session.execute(
        select(OAuthGrant, BrowserSession, func.coalesce(OAuthClient.name, OAuthGrant.client_id))
        .outerjoin(
            BrowserSession,
            (BrowserSession.id == OAuthGrant.browser_session_id)
            & BrowserSession.ended_at.is_(None),
        )
        .outerjoin(OAuthClient, OAuthClient.client_id == OAuthGrant.client_id)
        .where(
            OAuthGrant.user_id == user_id,
            OAuthGrant.revoked_at.is_(None),
            OAuthGrant.expires_at > now,
            OAuthGrant.security_stamp == stamp,
        )
        .order_by(OAuthGrant.auth_time.desc(), OAuthGrant.id)
    )
    return [(g, b, str(name)) for g, b, name in rows.all()]


async def last_refreshed(
    session: AsyncSession, family_ids: list[uuid.UUID]
) -> dict[uuid.UUID, datetime]:
    """When each refresh-token family (a grant's id) last moved, for those that did."""
    if not family_ids:
        return {}
    rows = await session.execute(
        select(RefreshToken.family_id, func.max(RefreshToken.created_at))
        .where(RefreshToken.family_id.in_(family_ids))
        .group_by(RefreshToken.family_id)
    )
    return {family: at for family, at in rows.all() if at is not None}


async def end_grants(
    session: AsyncSession, user_id: uuid.UUID, grant_ids: list[uuid.UUID], now: datetime
) -> tuple[int, int]:
    """Revoke the grants (and every other grant of their browser sessions), their refresh
    tokens, and end their browser sessions. Returns (grants, browser sessions)."""
    browsers = [
        b
        for b in (
            await session.scalars(
                select(OAuthGrant.browser_session_id).where(OAuthGrant.id.in_(grant_ids))
            )
        ).all()
        if b is not None
    ]
    targets = or_(OAuthGrant.id.in_(grant_ids), OAuthGrant.browser_session_id.in_(browsers))
    revoked = list(
        (
            await session.scalars(
                update(OAuthGrant)
                .where(OAuthGrant.user_id == user_id, OAuthGrant.revoked_at.is_(None), targets)
                .values(revoked_at=now)
                .returning(OAuthGrant.id)
            )
        ).all()
    )
    if revoked:
        await session.execute(
            update(RefreshToken)
            .where(RefreshToken.family_id.in_(revoked), RefreshToken.revoked_at.is_(None))
            .values(revoked_at=now)
        )
    ended = 0
    if browsers:
        result = await session.execute(
            update(BrowserSession)
            .where(
                BrowserSession.id.in_(browsers),
                BrowserSession.user_id == user_id,
                BrowserSession.ended_at.is_(None),
            )
            .values(ended_at=now)
        )
        ended = int(result.rowcount)  # type: ignore[attr-defined]
    return len(revoked), ended
