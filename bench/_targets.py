"""Where the benchmarks' databases live and how their servers are asked: SQLite files under
``var/bench/``, or PostgreSQL databases next to an admin URL on the loopback server, each seeded
once and reused by later runs (``--fresh`` seeds again); bearer tokens minted from the database's
own signing key."""

from __future__ import annotations

import contextlib
import os
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parent.parent
POSTGRES_ADMIN_URL = os.environ.get(
    "PORTAL_BENCH_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/postgres"
)


def sqlite_url(name: str, fresh: bool) -> str:
    directory = ROOT / "var" / "bench"
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / f"{name}.db"
    if fresh:
        for suffix in ("", "-wal", "-shm", ".migrate.lock"):
            with contextlib.suppress(FileNotFoundError):
                os.remove(f"{path}{suffix}")
    return f"sqlite+aiosqlite:///{path}"


async def postgres_url(name: str, fresh: bool, admin_url: str = POSTGRES_ADMIN_URL) -> str:
    dsn = make_url(admin_url).set(drivername="postgresql").render_as_string(hide_password=False)
    connection = await asyncpg.connect(dsn)
    try:
        if fresh:
            await connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        exists = await connection.fetchval("SELECT 1 FROM pg_database WHERE datname = $1", name)
        if not exists:
            await connection.execute(f'CREATE DATABASE "{name}"')
    finally:
        await connection.close()
    return make_url(admin_url).set(database=name).render_as_string(hide_password=False)


async def database_url(name: str, *, postgres: bool, fresh: bool) -> str:
    if postgres:
        return await postgres_url(f"portal_bench_{name}", fresh)
    return sqlite_url(name, fresh)


async def mint_token(url: str, user_id: uuid.UUID, public_url: str) -> str:
    """An access token for ``user_id`` as the server at ``public_url`` would issue it."""
    from db.database import Database
    from domain.authz.api_scopes import API_SCOPES
    from identity.access_tokens import issue_access_token
    from identity.keys import KeyService
    from settings import Settings

    settings = Settings(database_url=url, public_url=public_url)
    db = Database.from_url(url, pool_size=1)
    try:
        keys = KeyService(db)
        await keys.load()
        return await issue_access_token(
            keys,
            issuer=settings.issuer,
            audience=settings.api_audience,
            ttl_seconds=settings.access_token_ttl_seconds,
            user_id=user_id,
            client_id="bench",
            # A first-party client's token: every API scope (identity/oauth/models.py).
            scope=" ".join(["openid", *sorted(API_SCOPES)]),
            security_stamp=None,
        )
    finally:
        await db.dispose()
