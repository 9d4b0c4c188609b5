"""The one classification of "a dependency is down" (kit/dependencies.py)."""

from __future__ import annotations

import sqlite3
import time

import pytest
import sqlalchemy.exc
from sqlalchemy import text

from db.database import Database, DatabaseTimeouts
from kit.dependencies import OutageLog, unavailable


def test_bugs_are_not_outages() -> None:
    assert unavailable(RuntimeError("boom")) is None
    assert unavailable(FileNotFoundError(2, "template missing")) is None
    assert unavailable(KeyError("x")) is None
    # SQLite complaining about the statement is a bug; about the file, an outage.
    bad_sql = sqlalchemy.exc.OperationalError(
        "SELECT", {}, sqlite3.OperationalError("no such table: x")
    )
    assert unavailable(bad_sql) is None
    locked = sqlalchemy.exc.OperationalError(
        "UPDATE", {}, sqlite3.OperationalError("database is locked")
    )
    assert unavailable(locked) == "database"


def test_network_failures_are_named_by_who_raised_them() -> None:
    import coredis.exceptions

    assert unavailable(coredis.exceptions.ConnectionError("refused")) == "redis"
    assert unavailable(sqlalchemy.exc.TimeoutError("QueuePool limit")) == "database"
    try:
        raise ConnectionRefusedError(111, "refused")
    except ConnectionRefusedError as exc:
        assert unavailable(exc) == "dependency"  # raised here, not by a driver
    wrapped = RuntimeError("while answering")
    wrapped.__cause__ = TimeoutError()
    assert unavailable(wrapped) == "dependency"


@pytest.mark.postgresql_only
async def test_a_statement_past_statement_timeout_is_an_outage(database_url: str) -> None:
    db = Database.from_url(
        database_url, pool_size=1, timeouts=DatabaseTimeouts(statement=0.3, command=10.0)
    )
    try:
        if not db.is_postgresql:
            pytest.skip("statement_timeout is PostgreSQL's")
        started = time.monotonic()
        with pytest.raises(sqlalchemy.exc.DBAPIError) as caught:
            async with db.read_session() as session:
                await session.execute(text("SELECT pg_sleep(5)"))
        assert time.monotonic() - started < 2  # the server cancelled it, not the client
        assert getattr(caught.value.orig, "sqlstate", None) == "57014"
        assert unavailable(caught.value) == "database"
        await db.ping()  # the connection (or its replacement) still works
    finally:
        await db.dispose()


def test_an_outage_is_logged_once_until_it_ends(caplog: pytest.LogCaptureFixture) -> None:
    log = OutageLog(repeat_seconds=3600)
    for _ in range(5):
        log.failed("redis", TimeoutError("no answer"), where="test")
    log.recovered("redis")
    log.recovered("redis")
    lines = [r.getMessage() for r in caplog.records if r.name == "portal.dependencies"]
    assert len(lines) == 2
    assert lines[0].startswith("redis unavailable (seen by test): TimeoutError: no answer")
    assert lines[1].startswith("redis available again")
