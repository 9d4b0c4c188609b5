"""Bring the schema up to date, safely when several processes start at once.

PostgreSQL: a session advisory lock serializes the upgrades. SQLite: an exclusive file lock next to
the database file (SQLite is one machine's database by construction). Whoever gets the lock second
finds the schema current and does nothing.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import text
from sqlalchemy.engine import Connection, make_url

from db.database import create_null_pool_engine

ROOT = Path(__file__).resolve().parent.parent
# An arbitrary constant: "portal migrations" as a 63-bit advisory lock key.
ADVISORY_LOCK_KEY = 0x506F7274616C4D69


def alembic_config(database_url: str) -> Config:
    config = Config(str(ROOT / "alembic.ini"))
    config.set_main_option("script_location", str(ROOT / "db" / "migrations"))
    config.attributes["database_url"] = database_url
    return config


def _with_connection(config: Config, fn: Callable[[Config], Any]) -> Callable[[Connection], Any]:
    def run(connection: Connection) -> Any:
        config.attributes["connection"] = connection
        return fn(config)

    return run


async def upgrade(database_url: str, revision: str = "head") -> None:
    config = alembic_config(database_url)
    url = make_url(database_url)
    engine = create_null_pool_engine(database_url)
    try:
        if url.get_backend_name() == "postgresql":
            async with engine.connect() as connection:
                await connection.execute(text(f"SELECT pg_advisory_lock({ADVISORY_LOCK_KEY})"))
                await connection.commit()
                try:
                    await connection.run_sync(
                        _with_connection(config, lambda c: command.upgrade(c, revision))
                    )
                    await connection.commit()
                finally:
                    await connection.execute(
                        text(f"SELECT pg_advisory_unlock({ADVISORY_LOCK_KEY})")
                    )
                    await connection.commit()
        else:
            async with _sqlite_file_lock(url.database), engine.connect() as connection:
                await connection.run_sync(
                    _with_connection(config, lambda c: command.upgrade(c, revision))
                )
                await connection.commit()
    finally:
        await engine.dispose()


async def check(database_url: str) -> None:
    """Raise if the models and the migrations disagree (``alembic check``)."""
    config = alembic_config(database_url)
    engine = create_null_pool_engine(database_url)
    try:
        async with engine.connect() as connection:
            await connection.run_sync(_with_connection(config, command.check))
    finally:
        await engine.dispose()


@asynccontextmanager
async def _sqlite_file_lock(database: str | None) -> AsyncIterator[None]:
    if not database or database == ":memory:":
        yield
        return
    path = f"{os.path.abspath(database)}.migrate.lock"  # noqa: ASYNC240 (start-up only)
    os.makedirs(os.path.dirname(path), exist_ok=True)
    fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
    try:
        # flock blocks: wait in a thread so the event loop (and a lock holder in this very
        # process) keeps running.
        await asyncio.to_thread(fcntl.flock, fd, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fd, fcntl.LOCK_UN)
    finally:
        os.close(fd)
