"""Running Authlib — synchronous code — without blocking the event loop.

Every Authlib call that touches the database goes through ``ExchangeRunner.run(call)``, which
runs ``call(session)`` with a *sync* SQLAlchemy ``Session`` in one write transaction (committed
when ``call`` returns, even when its answer is an OAuth error: a replayed code or refresh token
must stay revoked). How depends on the driver, because the portal ships only async drivers for
PostgreSQL but Python has a synchronous SQLite driver built in:

* **PostgreSQL (asyncpg): ``AsyncSession.run_sync``.** Authlib gets the AsyncSession's sync twin;
  each statement goes through SQLAlchemy's greenlet bridge to asyncpg, which yields to the event
  loop while PostgreSQL works. No thread, no second pool, no sync driver.
* **SQLite: a worker thread with its own sync session** (stdlib ``sqlite3``, same file, same
  pragmas, ``BEGIN IMMEDIATE``). aiosqlite runs every cursor operation as a hop to its own thread;
  an exchange is ~20 such hops, and the hand-offs cost more than the work (measured: 4 ms of CPU
  per refresh against ~1.5 ms in one thread hop — bench/bench_refresh.py). SQLite has one writer
  at a time anyway, so the exchanges of a process run one after another on one dedicated thread:
  they queue in the executor instead of waking each other through SQLite's busy handler (which
  sleeps in steps of milliseconds), and the next one starts as soon as the last one commits,
  without waiting for the event loop.

Either way what runs on the event loop is never I/O. The code given to ``run`` must not touch
asyncio objects: it reads only the caches the route refreshed before (client, signing key).
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


class ExchangeRunner:
    def __init__(self, db: Database, database_url: str) -> None:
        self._db = db
        self._engine: Engine | None = None
        self._sessions: sessionmaker[Session] | None = None
        self._executor: ThreadPoolExecutor | None = None
        if db.is_sqlite:
            self._engine = create_sync_sqlite_engine(database_url, pool_size=1)
            self._sessions = sessionmaker(
                self._engine.execution_options(portal_write=True), expire_on_commit=False
            )
            self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="oidc-sqlite")

    async def run(self, call: Callable[[Session], T]) -> T:
        if self._executor is None:
            async with self._db.unit_of_work() as session:
                return await session.run_sync(call)
        loop = asyncio.get_running_loop()
        return await loop.run_in_executor(self._executor, self._in_thread, call)

    def _in_thread(self, call: Callable[[Session], T]) -> T:
        assert self._sessions is not None
        with self._sessions() as session, session.begin():
            return call(session)

    def close(self) -> None:
        if self._executor is not None:
            self._executor.shutdown(wait=True)
        if self._engine is not None:
            self._engine.dispose()
