"""Server-side keys kept in the database: random on first use, the same in every process.

Why the database and not an environment variable: every process that shares the database shares
the key with no configuration (development and production alike), and what the key protects —
HMACs of short codes — is useless without a 256-bit link token that the database only keeps as a
SHA-256. Keys are cached per process once read; they never change.

Call ``get`` *before* opening a unit of work: on a cache miss it opens its own write transaction,
and on SQLite a second writer inside a first one would wait for itself.
"""

from __future__ import annotations

import secrets

from sqlalchemy import select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from db.database import Database
from db.models import ServerSecret

# The HMAC key of activation (and other emailed) codes.
ACCOUNT_CODE_KEY = "account-code-hmac"


class ServerSecrets:
    def __init__(self, db: Database) -> None:
        self._db = db
        self._cache: dict[str, bytes] = {}

    async def get(self, name: str) -> bytes:
        cached = self._cache.get(name)
        if cached is None:
            cached = self._cache[name] = await self._load_or_create(name)
        return cached

    async def account_code_key(self) -> bytes:
        return await self.get(ACCOUNT_CODE_KEY)

    async def _load_or_create(self, name: str) -> bytes:
        async with self._db.unit_of_work() as session:
            value = await session.scalar(
                select(ServerSecret.value_hex).where(ServerSecret.name == name)
            )
            if value is None:
                # Several processes may start at once: the first insert wins, the others keep it.
                insert = pg_insert if self._db.is_postgresql else sqlite_insert
                await session.execute(
                    insert(ServerSecret)
                    .values(name=name, value_hex=secrets.token_hex(32))
                    .on_conflict_do_nothing(index_elements=["name"])
                )
                value = await session.scalar(
                    select(ServerSecret.value_hex).where(ServerSecret.name == name)
                )
            assert value is not None
            return bytes.fromhex(value)
