"""Test databases: each test gets its own, copied from a template migrated once per worker.

A PostgreSQL database a test is done with is emptied and used again by the worker's next test
when its schema is unchanged (``PostgresTemplate``), not dropped and copied anew.

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


# Everything of a database's schema a test could change (a migration test downgrades and
# upgrades): relations and their columns, constraints, functions and triggers, and the Alembic
# revision. Equal to the template's: the database can be emptied and used again.
_SCHEMA_FINGERPRINT = """
SELECT md5(string_agg(item, ',' ORDER BY item)) FROM (
  SELECT n.nspname || '.' || c.relname || ':' || c.relkind::text || ':'
         || coalesce(a.attname, '') || ':' || coalesce(format_type(a.atttypid, a.atttypmod), '')
         || ':' || coalesce(a.attnotnull::text, '') AS item
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  WHERE n.nspname NOT IN ('pg_catalog', 'information_schema') AND n.nspname NOT LIKE 'pg_toast%'
  UNION ALL
  SELECT conname || ':' || pg_get_constraintdef(oid) FROM pg_constraint
  WHERE connamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'proc:' || proname FROM pg_proc WHERE pronamespace = 'public'::regnamespace
  UNION ALL
  SELECT 'trigger:' || tgname FROM pg_trigger WHERE NOT tgisinternal
  UNION ALL
  SELECT 'alembic:' || version_num FROM alembic_version
) items
"""


class PostgresTemplate:
    """``CREATE DATABASE … TEMPLATE`` costs PostgreSQL ~0.3 s of CPU (it copies and syncs every
    relation of the schema), more than most tests themselves. A database a test is done with is
    therefore emptied and kept for the next test of this worker instead of dropped — when its
    schema is still the template's (``_SCHEMA_FINGERPRINT``), every session on it has been ended,
    and it is emptied to exactly the template's rows (``_empty``); anything else drops it."""

    backend = "postgresql"

    def __init__(self) -> None:
        self.name = f"portal_tpl_{uuid.uuid4().hex[:12]}"
        self._fingerprint = ""
        self._tables: list[str] = []
        # The rows the template holds (the migrations' own), table by table.
        self._rows: dict[str, tuple[list[str], list[tuple[object, ...]]]] = {}
        self._free: list[str] = []

    async def create(self) -> None:
        await _admin_execute(f'CREATE DATABASE "{self.name}"')
        await _prepare_template(_with_database(ADMIN_URL, self.name))
        conn = await asyncpg.connect(_dsn(_with_database(ADMIN_URL, self.name)), timeout=10)
        try:
            self._fingerprint = await conn.fetchval(_SCHEMA_FINGERPRINT)
            self._tables = [
                row[0]
                for row in await conn.fetch(
                    "SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1"
                )
            ]
            for table in self._tables:
                records = await conn.fetch(f'SELECT * FROM "{table}"')  # noqa: S608 (our tables)
                if records:
                    self._rows[table] = (list(records[0].keys()), [tuple(r) for r in records])
        finally:
            await conn.close()

    async def new_database(self) -> str:
        if self._free:
            return _with_database(ADMIN_URL, self._free.pop())
        name = f"portal_t_{uuid.uuid4().hex[:16]}"
        await _admin_execute(f'CREATE DATABASE "{name}" TEMPLATE "{self.name}"')
        return _with_database(ADMIN_URL, name)

    async def drop_database(self, url: str) -> None:
        name = make_url(url).database
        assert name is not None
        try:
            reusable = await self._empty(name)
        except (OSError, asyncpg.PostgresError):
            reusable = False
        if reusable:
            self._free.append(name)
        else:
            await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    async def _empty(self, name: str) -> bool:
        """End every other session on ``name`` and, if its schema is the template's, give it
        back the template's rows and no others. False: drop it instead."""
        conn = await asyncpg.connect(_dsn(_with_database(ADMIN_URL, name)), timeout=10)
        try:
            await conn.execute(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
            if await conn.fetchval(_SCHEMA_FINGERPRINT) != self._fingerprint:
                return False
            async with conn.transaction():
                # Foreign keys are triggers: off for this transaction, every table empties in any
                # order (and ends up consistent: empty, or the template's own rows).
                await conn.execute("SET LOCAL session_replication_role = replica")
                for table in self._tables:
                    await conn.execute(f'DELETE FROM "{table}"')  # noqa: S608 (our tables)
                for table, (columns, records) in self._rows.items():
                    await conn.copy_records_to_table(table, records=records, columns=columns)
            return True
        finally:
            await conn.close()

    async def destroy(self) -> None:
        for name in [*self._free, self.name]:
            await _admin_execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        self._free.clear()
