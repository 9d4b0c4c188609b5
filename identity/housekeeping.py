"""Removing what the identity provider no longer needs: ended or expired browser sessions,
authorization codes (their tombstones are kept a day past expiry to catch replays), passkey
challenges (likewise), and grants
with their refresh tokens once the family's absolute lifetime is over.

Runs in every process every ``INTERVAL`` seconds. Each table is drained in batches of ``BATCH``
rows, one short transaction each (several processes doing it at once is harmless, and no batch
holds a lock for long), until a batch comes back short — at most ``MAX_BATCHES`` per table per
pass, yielding between batches, so a flood (failed form posts store sessions) is cleared within a
pass or a few without one pass monopolising the database or the event loop.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy import ColumnElement, delete, or_, select
from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database
from db.models import (
    AuthorizationCode,
    BrowserSession,
    OAuthGrant,
    PasskeyChallenge,
    RefreshToken,
)
from kit.clock import utcnow
from kit.dependencies import OUTAGES, unavailable
from settings import Settings

logger = logging.getLogger("portal.identity")

INTERVAL = 600.0
GRACE = timedelta(days=1)
BATCH = 1000
MAX_BATCHES = 50  # per table per pass: 50,000 rows, a pass's worst case stays bounded

# One batch of one table: (rows removed, whether the batch was full, i.e. more may remain).
_Batch = Callable[[AsyncSession, datetime, int], Awaitable[tuple[int, bool]]]


async def purge_expired(
    db: Database,
    settings: Settings,
    now: datetime | None = None,
    *,
    batch: int = BATCH,
    max_batches: int = MAX_BATCHES,
) -> int:
    """One pass; the number of rows removed."""
    now = now or utcnow()
    idle = timedelta(seconds=settings.session_idle_seconds)

    async def sessions(session: AsyncSession, now: datetime, size: int) -> tuple[int, bool]:
        condition = or_(
            BrowserSession.ended_at < now - GRACE,
            BrowserSession.expires_at < now - GRACE,
            BrowserSession.last_seen_at < now - idle - GRACE,
        )
        return await _delete_batch(session, BrowserSession, condition, size)

    async def codes(session: AsyncSession, now: datetime, size: int) -> tuple[int, bool]:
        condition = AuthorizationCode.expires_at < now - GRACE
        return await _delete_batch(session, AuthorizationCode, condition, size)

    removed = 0

    async def challenges(session: AsyncSession, now: datetime, size: int) -> tuple[int, bool]:
        # Spent or not, a day past expiry (a replay within the day is audited as a replay).
        condition = PasskeyChallenge.expires_at < now - GRACE
        return await _delete_batch(session, PasskeyChallenge, condition, size)

    for purge in (sessions, codes, challenges, _delete_grants):
        removed += await _drain(db, purge, now, batch, max_batches)
    return removed


async def _drain(db: Database, purge: _Batch, now: datetime, size: int, max_batches: int) -> int:
    """Batches of one table, each in its own transaction, until one is short or the bound."""
    removed = 0
    for _ in range(max_batches):
        async with db.unit_of_work() as session:
            count, full = await purge(session, now, size)
        removed += count
        if not full:
            break
        await asyncio.sleep(0)  # let requests in between batches
    return removed


async def _delete_batch(
    session: AsyncSession,
    model: type[BrowserSession] | type[AuthorizationCode] | type[PasskeyChallenge],
    condition: ColumnElement[bool],
    size: int,
) -> tuple[int, bool]:
    ids = select(model.id).where(condition).limit(size).scalar_subquery()
    result = await session.execute(delete(model).where(model.id.in_(ids)))
    count: int = result.rowcount  # type: ignore[attr-defined]  # CursorResult of a DELETE
    return count, count >= size


async def _delete_grants(session: AsyncSession, now: datetime, size: int) -> tuple[int, bool]:
    """Expired grants with their refresh tokens (a family is one grant)."""
    expired = (
        await session.scalars(
            select(OAuthGrant.id).where(OAuthGrant.expires_at < now - GRACE).limit(size)
        )
    ).all()
    if not expired:
        return 0, False
    tokens = await session.execute(delete(RefreshToken).where(RefreshToken.family_id.in_(expired)))
    grants = await session.execute(delete(OAuthGrant).where(OAuthGrant.id.in_(expired)))
    removed: int = tokens.rowcount + grants.rowcount  # type: ignore[attr-defined]  # DELETEs
    return removed, len(expired) >= size


async def start_housekeeping(db: Database, settings: Settings) -> Callable[[], Awaitable[None]]:
    """Start the periodic pass; return the function that stops it."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(INTERVAL)
            try:
                removed = await purge_expired(db, settings)
            except Exception as exc:
                dependency = unavailable(exc)
                if dependency is None:
                    logger.exception("identity housekeeping failed; retrying in %.0f s", INTERVAL)
                else:  # an outage: logged once for everyone who sees it
                    OUTAGES.failed(dependency, exc, where="identity housekeeping")
            else:
                if removed:
                    logger.info("identity housekeeping removed %d expired rows", removed)

    task = asyncio.create_task(loop(), name="identity-housekeeping")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return stop
