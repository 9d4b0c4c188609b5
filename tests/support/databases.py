"""Test databases: each test gets its own, copied from a template migrated once per worker.

The template also holds a signing key (``ensure_signing_key``), so a test's services find one
instead of generating a 2048-bit RSA key each (~50 ms a test); tests that need another rotate it.

SQLite: a file copy. PostgreSQL: ``CREATE DATABASE … TEMPLATE …``. PostgreSQL is used when it is
reachable; with PORTAL_TEST_REQUIRE_POSTGRES=1 (set by .ci/run) an unreachable server is a failure,
not a skip, so CI can never silently test one engine only.
"""

from __future__ import annotations

import os
import shutil
import uuid
from pathlib import Path

import asyncpg
from sqlalchemy.engine import make_url

from db import migrate
from db.database import Database
from identity.keys import ensure_signing_key

ADMIN_URL = os.environ.get(
    "PORTAL_TEST_POSTGRES_URL", "postgresql+asyncpg://postgres@127.0.0.1:5432/test"
)
REQUIRE_POSTGRES = os.environ.get("PORTAL_TEST_REQUIRE_POSTGRES") == "1"


def _dsn(url: str) -> str:
    return make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)


def _with_database(url: str, name: str) -> str:
    return make_url(url).set(database=name).render_as_string(hide_password=False)


async def postgres_available() -> bool:
    try:
        conn = await asyncpg.connect(_dsn(ADMIN_URL), timeout=3)
    except (TimeoutError, OSError, asyncpg.PostgresError):
        return False
    await conn.close()
    return True


async def _prepare_template(url: str) -> None:
    """Migrated, with the signing key every test's services would otherwise generate."""
    await migrate.upgrade(url)
    db = Database.from_url(url, pool_size=1)
    try:
        async with db.unit_of_work() as session:
            await ensure_signing_key(session)
    finally:
        await db.dispose()


async def _admin_execute(sql: str) -> None:
    conn = await asyncpg.connect(_dsn(ADMIN_URL), timeout=10)
    try:
        await conn.execute(sql)
    finally:
        await conn.close()


class SqliteTemplate:
    backend = "sqlite"

    def __init__(self, directory: Path) -> None:
        self.directory = directory
        self.path = directory / "template.db"

    async def create(self) -> None:
        await _prepare_template(f"sqlite+aiosqlite:///{self.path}")

    async def new_database(self) -> str:
        target = self.directory / f"t_{uuid.uuid4().hex}.db"
        shutil.copyfile(self.path, target)
        return f"sqlite+aiosqlite:///{target}"

    async def drop_database(self, url: str) -> None:
        path = make_url(url).database
        for suffix in ("", "-wal", "-shm", ".migrate.lock"):
            if path and os.path.exists(path + suffix):  # noqa: ASYNC240 (test teardown)
                os.remove(path + suffix)

    async def destroy(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)


class PostgresTemplate:
    backend = "postgresql"

    def __init__(self) -> None:
        self.name = f"portal_tpl_{uuid.uuid4().hex[:12]}"

    async def create(self) -> None:
        await _admin_execute(f'CREATE DATABASE "{self.name}"')
        await _prepare_template(_with_database(ADMIN_URL, self.name))

    async def new_database(self) -> str:
        name = f"portal_t_{uuid.uuid4().hex[:16]}"
        await _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return _with_database(ADMIN_URL, name)

    async def drop_database(self, url: str) -> None:
        name = make_url(url).database
        await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def destroy(self) -> None:
        await _admin_execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
