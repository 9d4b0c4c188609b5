"""Writing rows that a unique index (or another constraint) may refuse, without losing the
transaction."""

from __future__ import annotations

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession


async def add_in_savepoint(session: AsyncSession, *rows: object) -> bool:
    """Add (new rows) and flush ``rows`` (new or changed) in a savepoint; False when the database
    refused them (a racing writer got there first, the index decided). New rows are added inside
    the savepoint, so its rollback also forgets them, and the caller's transaction stays usable."""
    try:
        async with session.begin_nested():
            session.add_all(rows)
            await session.flush()
    except IntegrityError:
        return False
    return True
