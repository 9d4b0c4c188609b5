"""The viewer's own sessions: the provider's live grants of their account (each app sign-in, with
the browser it came from), "sign out this one" and "sign out all others".

A session is a live grant (not revoked, not expired, issued under the current security stamp).
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

from sqlalchemy import func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import BrowserSession, OAuthClient, OAuthGrant, RefreshToken, User
from domain.audit.service import record
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import UserError
from kit.clock import utcnow

if TYPE_CHECKING:
    from domain.dependencies import HasDb

NOT_FOUND = "NOT_FOUND"


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


async def _live_grants(
    session: AsyncSession, user_id: uuid.UUID, now: datetime
) -> list[tuple[OAuthGrant, BrowserSession | None, str]]:
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


async def list_sessions(deps: HasDb, principal: Principal) -> list[AccountSession]:
    now = utcnow()
    async with deps.db.read_session() as session:
        grants = await _live_grants(session, principal.user_id, now)
        ids = [g.id for g, _, _ in grants]
        refreshed: dict[uuid.UUID, datetime] = {}
        if ids:
            rows = await session.execute(
                select(RefreshToken.family_id, func.max(RefreshToken.created_at))
                .where(RefreshToken.family_id.in_(ids))
                .group_by(RefreshToken.family_id)
            )
            refreshed = {family: at for family, at in rows.all() if at is not None}
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


async def _end(
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


async def end_session(
    deps: HasDb, principal: Principal, session_id: str, meta: RequestMeta
) -> uuid.UUID:
    """Sign out one session of the viewer's (their own current one too). A session that is not
    theirs, or not live, is ``NOT_FOUND``."""
    missing = UserError(NOT_FOUND, "That session has already ended.", ("id",))
    try:
        grant_id = uuid.UUID(session_id)
    except ValueError as exc:
        raise missing from exc
    async with deps.db.unit_of_work() as session:
        now = utcnow()
        live = {g.id for g, _, _ in await _live_grants(session, principal.user_id, now)}
        if grant_id not in live:
            raise missing
        grants, browsers = await _end(session, principal.user_id, [grant_id], now)
        await record(
            session,
            "account.session_ended",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            target_type="user",
            target_id=principal.user_id,
            details={
                "grant_id": str(grant_id),
                "grants_revoked": grants,
                "browser_sessions_ended": browsers,
                "own": grant_id == principal.grant_id,
            },
        )
    return grant_id


async def end_other_sessions(deps: HasDb, principal: Principal, meta: RequestMeta) -> int:
    """Sign out every session of the viewer's but the caller's. Returns how many ended. (A token
    of no grant — the provider issues none — holds none of them: every one is another.)"""
    async with deps.db.unit_of_work() as session:
        now = utcnow()
        grants = await _live_grants(session, principal.user_id, now)
        mine = _current_browser(principal, grants)
        others = [
            g.id
            for g, _, _ in grants
            if g.id != principal.grant_id and (mine is None or g.browser_session_id != mine)
        ]
        revoked, browsers = (
            await _end(session, principal.user_id, others, now) if others else (0, 0)
        )
        await record(
            session,
            "account.other_sessions_ended",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            target_type="user",
            target_id=principal.user_id,
            details={"grants_revoked": revoked, "browser_sessions_ended": browsers},
        )
    return len(others)
