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
* **SQLite: one dedicated thread with its own sync engine** (stdlib ``sqlite3``, same file, same
  pragmas, ``BEGIN IMMEDIATE`` for writes). aiosqlite runs every cursor operation as a hop to a
  thread of its own; a login is ~100 such hops and the hand-offs cost more CPU than the work
  (measured: ~10 ms per login and 4 ms per refresh, against ~1 ms — bench/bench_login.py,
  bench/bench_refresh.py). SQLite has one writer at a time anyway, so the calls of a process run
  one after another on that thread: they queue in the executor instead of waking each other
  through SQLite's busy handler (which sleeps in steps of milliseconds), and the next one starts
  as soon as the last one commits, without waiting for the event loop.

Either way nothing on the event loop waits for I/O. ``call`` must not touch asyncio objects: it
works with what the caller read before (caches, arguments).
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from db.database import Database, create_sync_sqlite_engine

T = TypeVar("T")


class SyncRunner:
    def __init__(self, db: Database, database_url: str) -> None:
        self._db = db
        self._engine: Engine | None = None
        self._executor: ThreadPoolExecutor | None = None
        if db.is_sqlite:
            self._engine = create_sync_sqlite_engine(database_url, pool_size=1)
            self._writes: sessionmaker[Session] = sessionmaker(self._engine, expire_on_commit=False)
            self._reads: sessionmaker[Session] = sessionmaker(self._engine, expire_on_commit=False)
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="db-sqlite")

    async def write(self, call: Callable[[Session], T]) -> T:
        """``call`` in one write transaction."""
        if self._executor is None:
            async with self._db.unit_of_work() as session:
                return await session.run_sync(call)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._in_thread, self._writes, call)

    async def read(self, call: Callable[[Session], T]) -> T:
        """``call`` in a read transaction (rolled back)."""
        if self._executor is None:
            async with self._db.read_session() as session:
                return await session.run_sync(call)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._read_in_thread, call)

    # The driver runs in autocommit mode (db/database.py) and this engine has no "begin" listener
    # (an engine with one dispatches execute events around every statement): each transaction
    # says its BEGIN here — IMMEDIATE for writes — and the driver's commit/rollback end it.
    @staticmethod
    def _in_thread(sessions: sessionmaker[Session], call: Callable[[Session], T]) -> T:
        with sessions() as session, session.begin():
            session.connection().exec_driver_sql("BEGIN IMMEDIATE")
            return call(session)

    def _read_in_thread(self, call: Callable[[Session], T]) -> T:
        with self._reads() as session:
            session.connection().exec_driver_sql("BEGIN")
            return call(session)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        if self._engine is not None:
            self._engine.dispose()
