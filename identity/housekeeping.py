"""Removing what the identity provider no longer needs: ended or expired browser sessions,
authorization codes (their tombstones are kept a day past expiry to catch replays), and grants
with their refresh tokens once the family's absolute lifetime is over.

Runs in every process every ``INTERVAL`` seconds (several processes doing it at once is harmless:
each pass deletes a bounded batch per table, so no pass holds a lock for long).
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
from db.models import AuthorizationCode, BrowserSession, OAuthGrant, RefreshToken
from kit.clock import utcnow
from kit.dependencies import OUTAGES, unavailable
from settings import Settings

logger = logging.getLogger("portal.identity")

INTERVAL = 600.0
GRACE = timedelta(days=1)
BATCH = 1000


async def purge_expired(db: Database, settings: Settings, now: datetime | None = None) -> int:
    """One pass; the number of rows removed."""
    now = now or utcnow()
    idle = timedelta(seconds=settings.session_idle_seconds)
    removed = 0
    async with db.unit_of_work() as session:
        removed += await _delete_batch(
            session,
            BrowserSession,
            or_(
                BrowserSession.ended_at < now - GRACE,
                BrowserSession.expires_at < now - GRACE,
                BrowserSession.last_seen_at < now - idle - GRACE,
            ),
        )
        removed += await _delete_batch(
            session, AuthorizationCode, AuthorizationCode.expires_at < now - GRACE
        )
        expired = (
            await session.scalars(
                select(OAuthGrant.id).where(OAuthGrant.expires_at < now - GRACE).limit(BATCH)
            )
        ).all()
        if expired:
            tokens = await session.execute(
                delete(RefreshToken).where(RefreshToken.family_id.in_(expired))
            )
            grants = await session.execute(delete(OAuthGrant).where(OAuthGrant.id.in_(expired)))
            removed += tokens.rowcount + grants.rowcount  # type: ignore[attr-defined]  # DELETEs
    return removed


async def _delete_batch(
    session: AsyncSession,
    model: type[BrowserSession] | type[AuthorizationCode],
    condition: ColumnElement[bool],
) -> int:
    ids = select(model.id).where(condition).limit(BATCH).scalar_subquery()
    result = await session.execute(delete(model).where(model.id.in_(ids)))
    count: int = result.rowcount  # type: ignore[attr-defined]  # CursorResult of a DELETE
    return count


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
