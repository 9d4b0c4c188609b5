"""Which failures mean "a system we depend on is down", decided once for every edge.

A dependency that does not answer (refused, reset, silent past its timeout, SQLite locked past its
busy timeout, the pool empty past ``pool_timeout``) is not a bug: each edge answers 503 with
``Retry-After`` so that clients retry (GraphQL: ``SERVICE_UNAVAILABLE``; pages: a friendly page;
the token endpoint: ``temporarily_unavailable``). ``unavailable(exc)`` names the dependency, or
returns None for anything else (a bug: masked and logged as such).

``OutageLog`` logs each dependency's outage once when it starts (with its cause), now and then
while it lasts, and once when it ends, instead of once per failed request.
"""

from __future__ import annotations

import errno
import logging
import socket
import sqlite3
import threading
import time
import traceback
from typing import Literal

import sqlalchemy.exc

logger = logging.getLogger("portal.dependencies")

Dependency = Literal["database", "redis", "dependency"]

# What a 503 tells clients to wait before retrying: outages we have seen last seconds (a failover,
# a restart); longer ones are retried again.
RETRY_AFTER_SECONDS = 5

# SQLite's own "the file is busy or gone" errors; anything else from SQLite is a bug.
_SQLITE_UNAVAILABLE = ("database is locked", "unable to open database", "disk i/o error")
# PostgreSQL SQLSTATE classes and codes of an unavailable server rather than a bad statement:
# 08 connection exception, 53 insufficient resources (disk full, too many connections),
# 57P01-57P03 admin shutdown / crash shutdown / cannot connect now, 57014 query canceled
# (statement_timeout), 58 system error.
_PG_UNAVAILABLE_CLASSES = ("08", "53", "58")
_PG_UNAVAILABLE_CODES = ("57014", "57P01", "57P02", "57P03")
# Network failures that are not ConnectionError subclasses (a FileNotFoundError is a bug).
_NETWORK_ERRNOS = {errno.EHOSTUNREACH, errno.ENETUNREACH, errno.ETIMEDOUT, errno.EHOSTDOWN}


def _chain(exc: BaseException) -> list[BaseException]:
    """The exception, its causes and contexts, and the members of exception groups."""
    seen: list[BaseException] = []
    stack = [exc]
    while stack:
        current = stack.pop()
        if any(current is s for s in seen) or len(seen) > 50:
            continue
        seen.append(current)
        if isinstance(current, BaseExceptionGroup):
            stack.extend(current.exceptions)
        for linked in (current.__cause__, current.__context__):
            if linked is not None:
                stack.append(linked)
    return seen


def _redis_error(exc: BaseException) -> bool:
    module = type(exc).__module__
    if module.startswith(("coredis", "redis", "valkey")):
        name = type(exc).__name__
        return name in {"ConnectionError", "TimeoutError", "BusyLoadingError", "ReadOnlyError"}
    # limits' wrapper (``wrap_exceptions=True``): every storage failure is Redis being unwell.
    return module.startswith("limits") and type(exc).__name__ == "StorageError"


def _database_error(exc: BaseException) -> bool:
    if isinstance(exc, sqlalchemy.exc.TimeoutError):  # the pool stayed empty past pool_timeout
        return True
    if isinstance(exc, sqlalchemy.exc.DBAPIError):
        if exc.connection_invalidated:
            return True
        orig = exc.orig
        if isinstance(orig, sqlite3.OperationalError):
            return str(orig).lower().startswith(_SQLITE_UNAVAILABLE)
        return isinstance(exc, (sqlalchemy.exc.OperationalError, sqlalchemy.exc.InterfaceError))
    sqlstate = getattr(exc, "sqlstate", None)
    if isinstance(sqlstate, str) and type(exc).__module__.startswith("asyncpg"):
        return sqlstate.startswith(_PG_UNAVAILABLE_CLASSES) or sqlstate in _PG_UNAVAILABLE_CODES
    if type(exc).__module__.startswith("asyncpg"):
        # asyncpg's own connection errors (ConnectionDoesNotExistError, InterfaceError …).
        return type(exc).__name__ in {
            "ConnectionDoesNotExistError",
            "ConnectionFailureError",
            "InterfaceError",
            "TooManyConnectionsError",
            "CannotConnectNowError",
        }
    if isinstance(exc, sqlite3.OperationalError):
        return str(exc).lower().startswith(_SQLITE_UNAVAILABLE)
    return False


def unavailable(exc: BaseException) -> Dependency | None:
    """The dependency whose outage ``exc`` is, or None when it is not an outage."""
    chain = _chain(exc)
    for item in chain:
        if _database_error(item):
            return "database"
    for item in chain:
        if _redis_error(item):
            return "redis"
    for item in chain:
        # A refused, reset or silent connection (ConnectionError, socket errors) or a timeout on
        # any of the waits we bound (asyncpg's command_timeout raises a bare TimeoutError, and
        # its refused connections a bare ConnectionRefusedError): named by who raised it.
        if isinstance(item, (TimeoutError, ConnectionError, socket.gaierror)) or (
            isinstance(item, OSError) and item.errno in _NETWORK_ERRNOS
        ):
            return _raised_by(item)
    return None


def _raised_by(exc: BaseException) -> Dependency:
    modules = {
        str(frame.f_globals.get("__name__", "")).partition(".")[0]
        for frame, _ in traceback.walk_tb(exc.__traceback__)
    }
    if modules & {"asyncpg", "aiosqlite", "sqlalchemy"}:
        return "database"
    if modules & {"coredis", "redis", "valkey", "limits"}:
        return "redis"
    return "dependency"


def describe(exc: BaseException) -> str:
    """A one-line cause for the log: the innermost exception of the chain that says something."""
    for item in reversed(_chain(exc)):
        text = str(item).strip().splitlines()[0] if str(item).strip() else ""
        if text:
            return f"{type(item).__name__}: {text}"[:300]
    return type(exc).__name__


class OutageLog:
    """One log line when a dependency fails, one every ``repeat_seconds`` while it keeps failing
    (with the count), one when it answers again. Thread-safe: Authlib's calls run in a thread."""

    def __init__(self, *, repeat_seconds: float = 60.0) -> None:
        self._repeat = repeat_seconds
        self._lock = threading.Lock()
        # dependency -> [first failure (monotonic), last log line, failures since then]
        self._down: dict[str, list[float]] = {}

    def failed(self, dependency: str, exc: BaseException, *, where: str) -> None:
        now = time.monotonic()
        with self._lock:
            state = self._down.get(dependency)
            if state is None:
                self._down[dependency] = [now, now, 0]
                first = True
            else:
                state[2] += 1
                if now - state[1] < self._repeat:
                    return
                state[1] = now
                first = False
                count = int(state[2])
                state[2] = 0
        if first:
            logger.error("%s unavailable (seen by %s): %s", dependency, where, describe(exc))
        else:
            logger.error(
                "%s still unavailable (%d more failures; seen by %s): %s",
                dependency,
                count,
                where,
                describe(exc),
            )

    def recovered(self, dependency: str) -> None:
        with self._lock:
            state = self._down.pop(dependency, None)
        if state is not None:
            logger.warning(
                "%s available again after %.1f s", dependency, time.monotonic() - state[0]
            )

    def forget(self) -> None:
        """Tests: start from "everything up"."""
        with self._lock:
            self._down.clear()

    def is_down(self, dependency: str) -> bool:
        with self._lock:
            return dependency in self._down


# One per process: outages are facts about the process's dependencies, whoever notices them.
OUTAGES = OutageLog()
