"""The console's session store (console/sessions.py ``SessionStore``) on the portal's database:
a table every process shares. The console itself never imports ``db``; server.py hands it this."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete, select, update
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from console.sessions import StoredSession
from db.database import Database
from db.models import ConsoleSession
from kit.clock import utcnow


class DatabaseSessionStore:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def load(self, token_hash: str) -> StoredSession | None:
        async with self._db.read_session() as session:
            row = (
                await session.execute(
                    select(
                        ConsoleSession.sealed,
                        ConsoleSession.last_seen_at,
                        ConsoleSession.expires_at,
                    ).where(ConsoleSession.token_hash == token_hash)
                )
            ).one_or_none()
        if row is None:
            return None
        return StoredSession(sealed=row[0], last_seen_at=row[1], expires_at=row[2])

    async def save(
        self, token_hash: str, sealed: bytes, *, last_seen_at: datetime, expires_at: datetime
    ) -> None:
        insert = pg_insert if self._db.is_postgresql else sqlite_insert
        async with self._db.unit_of_work() as session:
            changed = await session.execute(
                update(ConsoleSession)
                .where(ConsoleSession.token_hash == token_hash)
                .values(sealed=sealed, last_seen_at=last_seen_at, expires_at=expires_at)
            )
            if changed.rowcount == 0:  # type: ignore[attr-defined]
                await session.execute(
                    insert(ConsoleSession)
                    .values(
                        token_hash=token_hash,
                        sealed=sealed,
                        last_seen_at=last_seen_at,
                        expires_at=expires_at,
                    )
                    .on_conflict_do_nothing(index_elements=["token_hash"])
                )
                # Expired rows go when new ones come (cheap: an index on expires_at).
                await session.execute(
                    delete(ConsoleSession).where(ConsoleSession.expires_at < utcnow())
                )

    async def delete(self, token_hash: str) -> None:
        async with self._db.unit_of_work() as session:
            await session.execute(
                delete(ConsoleSession).where(ConsoleSession.token_hash == token_hash)
            )
