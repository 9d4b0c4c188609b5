"""Synchronous database work off the event loop: ``SyncRunner.write(call)`` / ``read(call)``.

``call(session)`` gets a *sync* SQLAlchemy ``Session`` and runs in one transaction (``write``:
committed when ``call`` returns — even when its answer is an error the caller must persist, such
as a revoked token family — and rolled back if it raises). Two users:

* code that is synchronous by nature: Authlib, the OIDC provider's engine (identity/oauth/);
* hot paths of many short statements, where SQLite's async driver costs more than the work (the
  hosted login page: domain/login, identity/sessions.py).

How depends on the driver, because the portal ships only async drivers for PostgreSQL but Python
has a synchronous SQLite driver built in:

* **PostgreSQL (asyncpg): ``AsyncSession.run_sync``.** ``call`` gets the AsyncSession's sync twin;
  each statement goes through SQLAlchemy's greenlet bridge to asyncpg, which yields to the event
  loop while PostgreSQL works. No thread, no second pool, no sync driver.
* **SQLite: one dedicated thread with its own sync engine and one connection it keeps**
  (stdlib ``sqlite3``, same file, same pragmas, ``BEGIN IMMEDIATE`` for writes;
  ``ThreadConnection``). aiosqlite runs every cursor operation as a hop to a
  thread of its own; a login is ~100 such hops and the hand-offs cost more CPU than the work
  (measured: ~10 ms per login and 4 ms per refresh, against ~1 ms — bench/bench_login.py,
  bench/bench_refresh.py). SQLite has one writer at a time anyway, so the calls of a process run
  one after another on that thread: they queue in the executor instead of waking each other
  through SQLite's busy handler (which sleeps in steps of milliseconds), and the next one starts
  as soon as the last one commits, without waiting for the event loop.

Either way nothing on the event loop waits for I/O. ``call`` must not touch asyncio objects: it
works with what the caller read before (caches, arguments).

``write_prepared(call)`` is the same transaction without SQLAlchemy's session or execution
machinery, for the hottest paths (a refresh, a code exchange): ``call(run)`` runs ``Prepared``
statements (db/prepared.py) on the driver's own connection — on SQLite the thread's ``sqlite3``
connection, the one its sessions use; on PostgreSQL the pooled asyncpg connection, each statement
awaited through the same greenlet bridge as ``run_sync``.
"""

from __future__ import annotations

import asyncio
import contextlib
import sqlite3
import threading
from collections.abc import Callable, Mapping
from queue import SimpleQueue
from typing import Any, TypeVar

from sqlalchemy import Connection, Dialect, Engine
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement
from sqlalchemy.util import await_only, greenlet_spawn

from db import hot
from db.database import Database, create_sync_sqlite_engine
from db.prepared import Prepared

T = TypeVar("T")
# One statement of a ``write_prepared`` call: its rows, converted as SQLAlchemy would.
Run = Callable[[Prepared, Mapping[str, Any]], list[tuple[Any, ...]]]


class SyncRunner:
    def __init__(self, db: Database, database_url: str) -> None:
        self._db = db
        self._engine: Engine | None = None
        self._executor: DatabaseThread | None = None
        if db.is_sqlite:
            self._engine = create_sync_sqlite_engine(database_url, pool_size=1)
            self._connection = ThreadConnection(self._engine)
            self._executor = DatabaseThread("db-sqlite")
        self._prepared: dict[tuple[ClauseElement, tuple[str, ...] | None], Prepared] = {}

    @property
    def dialect(self) -> Dialect:
        """The dialect ``write_prepared``'s statements are compiled for."""
        return self._engine.dialect if self._engine is not None else self._db.engine.dialect

    def prepared(
        self, statement: ClauseElement, *, columns: tuple[str, ...] | None = None
    ) -> Prepared:
        """``statement`` compiled once per process (statements are module constants)."""
        key = (statement, columns)
        found = self._prepared.get(key)
        if found is None:
            found = self._prepared[key] = Prepared.compile(statement, self.dialect, columns=columns)
        return found

    async def write_prepared(self, call: Callable[[Run], T]) -> T:
        """``call(run)`` in one write transaction on the driver's connection (module docstring)."""
        if self._executor is None:
            return await self._write_asyncpg(call)
        return await self._executor.run(self._write_sqlite, call)

    async def _write_asyncpg(self, call: Callable[[Run], T]) -> T:
        async with self._db.engine.connect() as connection:
            raw = await connection.get_raw_connection()
            driver = raw.driver_connection
            assert driver is not None

            def run(prepared: Prepared, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
                rows = await_only(driver.fetch(prepared.sql, *prepared.parameters(values)))
                return prepared.rows(rows)

            async with driver.transaction():
                result: T = await greenlet_spawn(call, run)
                return result

    def _write_sqlite(self, call: Callable[[Run], T]) -> T:
        connection = self._connection.driver()

        def run(prepared: Prepared, values: Mapping[str, Any]) -> list[tuple[Any, ...]]:
            return prepared.rows(
                connection.execute(prepared.sql, prepared.parameters(values)).fetchall()
            )

        try:
            connection.execute("BEGIN IMMEDIATE")
            result = call(run)
            connection.execute("COMMIT")
        except BaseException:
            self._connection.roll_back()
            raise
        return result

    async def write(self, call: Callable[[Session], T]) -> T:
        """``call`` in one write transaction."""
        if self._executor is None:
            async with self._db.unit_of_work() as session:
                return await session.run_sync(call)
        return await self._executor.run(self._in_thread, call, "BEGIN IMMEDIATE")

    async def read(self, call: Callable[[Session], T]) -> T:
        """``call`` in a read transaction (rolled back)."""
        if self._executor is None:
            async with self._db.read_session() as session:
                return await session.run_sync(call)
        return await self._executor.run(self._in_thread, call, "BEGIN")

    # The driver runs in autocommit mode (db/database.py) and this engine has no "begin" listener
    # (an engine with one dispatches execute events around every statement): each transaction
    # says its BEGIN here — IMMEDIATE for writes — on the driver's connection. The session is
    # bound to the thread's connection (``ThreadConnection``) and joins that transaction: its
    # commit is the driver's. A read's ends in a rollback. Hot statements (db/hot.py) go to the
    # driver without the session: a call that ran only those, or nothing, leaves its session
    # without a transaction of its own (``add`` and every ORM statement start one), and the
    # driver's transaction to us.
    def _in_thread(self, call: Callable[[Session], T], begin: str) -> T:
        bound = self._connection.get()
        driver = self._connection.driver()
        try:
            driver.execute(begin)
            with Session(bind=bound, expire_on_commit=False) as session:
                session.info[hot.DRIVER] = (driver, bound.dialect)
                result = call(session)
                if session.in_transaction():
                    if begin == "BEGIN":
                        session.rollback()
                    else:
                        session.commit()
            if driver.in_transaction:
                driver.execute("COMMIT" if begin != "BEGIN" else "ROLLBACK")
        except BaseException:
            self._connection.roll_back()
            raise
        return result

    def close(self) -> None:
        if self._executor is not None:
            self._executor.close()
        if self._engine is not None:
            self._connection.close()
            self._engine.dispose()


class DatabaseThread:
    """One thread running the calls it is given, in order, each answered on its caller's event loop.

    What ``ThreadPoolExecutor(max_workers=1)`` with ``run_in_executor`` does, without the
    concurrent.futures machinery around each call (a second future with its own lock and
    condition, a thread-count check, chained callbacks): for a transaction of a few short
    statements that machinery cost a sizeable part of the call. As there, a call whose caller was
    cancelled before it started does not run.
    """

    def __init__(self, name: str) -> None:
        self._calls: SimpleQueue[_Call | None] = SimpleQueue()
        self._thread = threading.Thread(target=self._serve, name=name, daemon=True)
        self._thread.start()

    async def run(self, function: Callable[..., T], *args: Any) -> T:
        loop = asyncio.get_running_loop()
        future: asyncio.Future[T] = loop.create_future()
        self._calls.put((loop, future, function, args))
        return await future

    def _serve(self) -> None:
        while (call := self._calls.get()) is not None:
            loop, future, function, args = call
            if future.cancelled():
                continue
            try:
                result, error = function(*args), None
            except BaseException as raised:  # handed to the caller, as run_in_executor does
                result, error = None, raised
            # RuntimeError: the caller's loop is closed, nobody is waiting any more.
            with contextlib.suppress(RuntimeError):
                loop.call_soon_threadsafe(_settle, future, result, error)

    def close(self) -> None:
        """Finish the calls already given, then stop."""
        self._calls.put(None)
        self._thread.join()


class ThreadConnection:
    """The database thread's one SQLAlchemy ``Connection``, kept from call to call.

    Checking a connection out of the pool and back in for every transaction (the pool's events,
    its reset-on-return rollback, a session's own connection bookkeeping) cost about as much CPU
    as the statements of a login's transactions (bench/bench_login.py). Only the database thread
    uses it, one call at a time, and every call ends its transaction (commit or rollback) before
    the next starts. Sessions and ``write_prepared`` share it: SQLite keeps a page cache per
    connection and drops it whenever another connection has written, so a second connection made
    every switch between the two kinds of call re-read the pages (a login runs both). A
    connection whose rollback fails is broken (or SQLite ended the transaction): it is
    invalidated, and SQLAlchemy gives the next call a fresh one from the pool.
    """

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._connection: Connection | None = None

    def get(self) -> Connection:
        if self._connection is None:
            # An invalidated one reconnects by itself on next use (SQLAlchemy's Connection).
            self._connection = self._engine.connect()
        return self._connection

    def driver(self) -> sqlite3.Connection:
        driver = self.get().connection.driver_connection
        assert isinstance(driver, sqlite3.Connection)
        return driver

    def roll_back(self) -> None:
        """End a failed call's transaction, whatever state the session left it in."""
        connection = self._connection
        if connection is None:
            return
        try:
            if connection.in_transaction():
                connection.rollback()
            driver = connection.connection.driver_connection
            assert isinstance(driver, sqlite3.Connection)
            if driver.in_transaction:
                driver.execute("ROLLBACK")
        except Exception:
            # The driver's error, or SQLAlchemy's wrapping of it: the connection is of no use.
            connection.invalidate()

    def close(self) -> None:
        if self._connection is not None:
            self._connection.close()
            self._connection = None


_Call = tuple[asyncio.AbstractEventLoop, "asyncio.Future[Any]", Callable[..., Any], tuple[Any, ...]]


def _settle(future: asyncio.Future[Any], result: Any, error: BaseException | None) -> None:
    if future.cancelled():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(result)
