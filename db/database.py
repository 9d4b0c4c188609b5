"""Engines and sessions.

Two kinds of session, decided once here (STYLE.md practice 4):

* ``unit_of_work()`` — one write transaction, committed once at the end (services only flush).
  GraphQL mutations run serially, each in its own unit of work.
* ``read_session()`` — a short read-only session. Strawberry resolves sibling fields concurrently
  and an AsyncSession cannot serve two coroutines, so every query resolver and DataLoader batch
  opens its own.
* ``single_read()`` — a connection for one read statement, outside any transaction (one statement
  sees one snapshot anyway): no ``BEGIN``/``ROLLBACK`` round trips, for the per-request principal.

Every wait on the database is bounded (``DatabaseTimeouts``): a server that accepts connections
but never answers costs a request those seconds and then an error that kit/dependencies.py
classifies as "database unavailable" (a 503 at every edge), never a hang.

On SQLite every write transaction starts with ``BEGIN IMMEDIATE``: it takes the write lock up front
and waits (busy timeout) instead of failing when two transactions that read first then write would
otherwise deadlock on the lock upgrade. Reads keep the deferred ``BEGIN`` and run beside writers
(WAL mode).
"""

from __future__ import annotations

import contextlib
import logging
import os
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import Any, Protocol

import sqlalchemy
from sqlalchemy import Engine, event, text
from sqlalchemy.engine import URL, make_url
from sqlalchemy.ext.asyncio import (
    AsyncConnection,
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)
from sqlalchemy.pool import NullPool
from sqlalchemy.util import await_

from kit.dependencies import OUTAGES

SQLITE_BUSY_TIMEOUT_MS = 30_000

logger = logging.getLogger("portal.db")

CommitListener = Callable[[AsyncSession], None]


def _ensure_sqlite_directory(url: URL) -> None:
    path = url.database
    if path and path != ":memory:" and not path.startswith("file:"):
        directory = os.path.dirname(os.path.abspath(path))
        # A directory we cannot make is reported by the first connection (and /readyz).
        with contextlib.suppress(OSError):
            os.makedirs(directory, exist_ok=True)


class TimeoutSettings(Protocol):
    """What ``DatabaseTimeouts.from_settings`` reads of ``settings.Settings`` (db reads no
    settings module: pyproject.toml's import contracts)."""

    @property
    def db_connect_timeout_seconds(self) -> float: ...
    @property
    def db_pool_timeout_seconds(self) -> float: ...
    @property
    def db_statement_timeout_seconds(self) -> float: ...
    @property
    def db_command_timeout_seconds(self) -> float: ...


@dataclass(frozen=True, slots=True)
class DatabaseTimeouts:
    """Seconds; the defaults are PORTAL_DB_*_TIMEOUT_SECONDS' (settings.py explains each)."""

    connect: float = 3.0
    pool: float = 10.0
    # Server side (PostgreSQL's statement_timeout): the statement is cancelled, the connection
    # stays usable. Client side (asyncpg's command_timeout): for a server that says nothing.
    statement: float = 15.0
    command: float = 20.0

    @property
    def ping(self) -> float:
        """The pool's check of an idle connection before use (``_bound_pre_ping``)."""
        return min(2.0, self.connect)

    @classmethod
    def from_settings(cls, settings: TimeoutSettings) -> DatabaseTimeouts:
        return cls(
            connect=settings.db_connect_timeout_seconds,
            pool=settings.db_pool_timeout_seconds,
            statement=settings.db_statement_timeout_seconds,
            command=settings.db_command_timeout_seconds,
        )

    def asyncpg_connect_args(self, *, statements: bool = True) -> dict[str, Any]:
        args: dict[str, Any] = {"timeout": self.connect}
        if statements:
            args["command_timeout"] = self.command
        return args


# A pool's connections when none is asked for (PORTAL_DB_POOL_SIZE unset); it may open as many
# again under bursts.
POOL_SIZE = 10
# SQLite's is small. Each aiosqlite connection is a thread of its own with its own SQLite page
# cache: under 64 concurrent logins a pool of 10 grew to ~20 of them, and the process to 4 MiB more
# than with 2 (bench/bench_memory.py). More connections buy SQLite nothing: it has one writer at a
# time, the hot paths (login, browser sessions, OAuth) run on db/sync.py's one thread, and the
# process serves from one event loop (measured: the same CPU per login; under 256 concurrent
# logins, no request waited out the pool timeout). A pool this small relies on no code holding a
# session while it opens another (that would wait for the pool timeout once the pool is busy): the
# tests of db, identity, accounts, two_factor, console, graphql, authz, sso and scim pass with one
# connection.
SQLITE_POOL_SIZE = 2


def create_engine(
    database_url: str,
    *,
    pool_size: int | None = None,
    echo: bool = False,
    timeouts: DatabaseTimeouts | None = None,
) -> AsyncEngine:
    url = make_url(database_url)
    timeouts = timeouts or DatabaseTimeouts()
    if url.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(url)
        size = pool_size or SQLITE_POOL_SIZE
        engine = create_async_engine(
            url,
            echo=echo,
            # SQLite's wait is its busy timeout (a locked file); nothing else can stall.
            connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000},
            pool_size=size,
            max_overflow=size,
            pool_timeout=timeouts.pool,
        )
        _configure_sqlite(engine)
        return engine
    size = pool_size or POOL_SIZE
    engine = create_async_engine(
        url,
        echo=echo,
        pool_size=size,
        max_overflow=size,
        pool_pre_ping=True,
        pool_recycle=1800,
        pool_timeout=timeouts.pool,
        connect_args=timeouts.asyncpg_connect_args(),
    )
    _bound_pre_ping(engine, timeouts.ping)
    statement_ms = int(timeouts.statement * 1000)

    @event.listens_for(engine.sync_engine, "connect")
    def _statement_timeout(dbapi_connection: Any, _record: Any) -> None:
        # A SET, not a startup parameter: PgBouncer refuses unknown startup parameters.
        cursor = dbapi_connection.cursor()
        cursor.execute(f"SET statement_timeout = {statement_ms}")
        cursor.close()
        # A new connection after an outage is the first sign that it is over (readiness polls
        # say so too, but a process nobody polls should log it as well).
        OUTAGES.recovered("database")

    return engine


def _bound_pre_ping(engine: AsyncEngine, seconds: float) -> None:
    """The pool's check of a connection before use, within ``seconds``.

    SQLAlchemy's asyncpg ping waits as long as any statement (the command timeout, 20 s): after
    the server went silent, the first request on each pooled connection would wait that long
    before learning anything. A ping answers in milliseconds when all is well, so a connection
    that has not answered within ``seconds`` is closed and replaced (a new one is bounded by the
    connect timeout): a silent server costs a request ``ping + connect``, a server that lost
    only its old connections (a fail-over) costs nothing.
    """

    def do_ping(dbapi_connection: Any) -> bool:
        driver = dbapi_connection.driver_connection
        try:
            await_(driver.fetchval("SELECT 1", timeout=seconds))
        except Exception:
            driver.terminate()
            return False  # a disconnect to the pool: invalidate, reconnect
        return True

    engine.sync_engine.dialect.do_ping = do_ping  # type: ignore[method-assign]


def create_null_pool_engine(database_url: str) -> AsyncEngine:
    """An engine that holds no connections between uses (migrations, CLI one-shots)."""
    url = make_url(database_url)
    if url.get_backend_name() == "sqlite":
        _ensure_sqlite_directory(url)
        engine = create_async_engine(
            url, poolclass=NullPool, connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000}
        )
        _configure_sqlite(engine)
        return engine
    # Connecting is bounded; statements are not: a migration may run long, and waits for the
    # migration lock on purpose (db/migrate.py).
    return create_async_engine(
        url,
        poolclass=NullPool,
        connect_args=DatabaseTimeouts().asyncpg_connect_args(statements=False),
    )


def create_sync_sqlite_engine(database_url: str, *, pool_size: int = 4) -> Engine:
    """A synchronous engine (stdlib sqlite3) on the same SQLite file, configured the same way,
    for synchronous work that runs on a worker thread (db/sync.py explains why)."""
    url = make_url(database_url).set(drivername="sqlite+pysqlite")
    _ensure_sqlite_directory(url)
    engine = sqlalchemy.create_engine(
        url,
        connect_args={"timeout": SQLITE_BUSY_TIMEOUT_MS / 1000, "check_same_thread": False},
        pool_size=pool_size,
        max_overflow=pool_size,
    )
    # No "begin" listener here: db/sync.py's SyncRunner says BEGIN itself. An engine with any
    # connection event listener dispatches (empty) execute events around every statement, which
    # cost more CPU than SQLite takes to run a short one.
    _configure_sqlite_events(engine, begin=False)
    return engine


def _configure_sqlite(engine: AsyncEngine) -> None:
    _configure_sqlite_events(engine.sync_engine)


def _configure_sqlite_events(engine: Engine, *, begin: bool = True) -> None:
    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Take BEGIN away from the driver so that we can say which kind (see module docstring).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    if not begin:
        return

    @event.listens_for(engine, "begin")
    def _on_begin(conn: Any) -> None:
        options = conn.get_execution_options()
        if options.get("portal_single_read", False):
            return  # autocommit: the statement is its own (read) transaction
        conn.exec_driver_sql("BEGIN IMMEDIATE" if options.get("portal_write", False) else "BEGIN")


class Database:
    """The process's database: one engine, a write and a read session factory."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        write_engine = engine.execution_options(portal_write=True)
        self._write_sessions = async_sessionmaker(
            write_engine, expire_on_commit=False, autoflush=True
        )
        self._read_sessions = async_sessionmaker(engine, expire_on_commit=False, autoflush=False)
        # SQLite: the driver runs in autocommit mode and only our "begin" listener starts
        # transactions, so skipping it is enough; PostgreSQL: the driver's own autocommit.
        self._single_read_engine = (
            engine.execution_options(portal_single_read=True)
            if self.dialect == "sqlite"
            else engine.execution_options(isolation_level="AUTOCOMMIT")
        )
        self._commit_listeners: list[CommitListener] = []

    @classmethod
    def from_url(
        cls,
        database_url: str,
        *,
        pool_size: int | None = None,
        echo: bool = False,
        timeouts: DatabaseTimeouts | None = None,
    ) -> Database:
        return cls(create_engine(database_url, pool_size=pool_size, echo=echo, timeouts=timeouts))

    @property
    def is_sqlite(self) -> bool:
        return self.dialect == "sqlite"

    @property
    def is_postgresql(self) -> bool:
        return self.dialect == "postgresql"

    def on_commit(self, listener: CommitListener) -> Callable[[], None]:
        """Call ``listener(session)`` after each unit of work has committed (never after a
        rollback), e.g. to wake the outbox worker when the transaction wrote mail. Listeners must
        be quick and must not do I/O. Returns a function that removes the listener."""
        self._commit_listeners.append(listener)
        return lambda: self._commit_listeners.remove(listener)

    @asynccontextmanager
    async def unit_of_work(self) -> AsyncIterator[AsyncSession]:
        """One write transaction: committed when the block ends, rolled back if it raises."""
        async with self._write_sessions() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            for listener in tuple(self._commit_listeners):
                try:
                    listener(session)
                except Exception:
                    # The transaction is committed: a listener's bug must not turn it into an error.
                    logger.exception("commit listener failed")

    @asynccontextmanager
    async def read_session(self) -> AsyncIterator[AsyncSession]:
        # Closing (not rolling back) ends the transaction without expiring what was loaded, so
        # rows read here stay usable after the block.
        async with self._read_sessions() as session:
            yield session

    @asynccontextmanager
    async def single_read(self) -> AsyncIterator[AsyncConnection]:
        """A connection for ONE read statement in autocommit mode. Never for two statements that
        must agree with each other (each sees its own snapshot), never for writes."""
        async with self._single_read_engine.connect() as connection:
            yield connection

    async def ping(self) -> None:
        async with self.engine.connect() as conn:
            await conn.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()
