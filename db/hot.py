"""One statement of a hot path inside a ``SyncRunner`` transaction: ``execute(session, …)``.

The hosted login's transactions (domain/login, identity/sessions.py, the authorization code it
issues) run a few short Core statements each through the session's connection. On SQLite —
``SyncRunner``'s own thread and ``sqlite3`` connection, where those transactions begin with
``BEGIN IMMEDIATE`` on the driver's connection — SQLAlchemy's execution machinery around each
statement (execution context, parameter and result processing) costs several times what SQLite
takes to run it. There the statement runs as ``Prepared`` (db/prepared.py: the same SQL, binds
and result conversions, compiled once) on that same driver connection — which the runner puts in
``session.info`` (``DRIVER``) — inside the same transaction. Elsewhere (PostgreSQL through
``run_sync``, whose driver begins its transaction on its first statement) SQLAlchemy runs it as
before.

A statement ``Prepared`` refuses (a column default that needs SQLAlchemy's execution context) runs
through SQLAlchemy too.
``tests/db/test_hot.py`` checks both routes give the same rows, counts and stored values.
"""

from __future__ import annotations

import sqlite3
from collections import namedtuple
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Dialect
from sqlalchemy.orm import Session
from sqlalchemy.sql import ClauseElement, Executable

from db.prepared import Prepared

_Key = tuple[Executable, tuple[str, ...] | None]
# Per statement (module constants) and INSERT column set: its Prepared form and row type, or
# None when it must go through SQLAlchemy.
_compiled: dict[_Key, tuple[Prepared, type[tuple[Any, ...]]] | None] = {}


@dataclass(frozen=True, slots=True)
class Rows:
    """What the hot paths read from a result: its rows and, for an UPDATE, how many it changed."""

    rows: Sequence[Any]
    rowcount: int

    def first(self) -> Any:
        return self.rows[0] if self.rows else None


# ``session.info`` key: the driver connection (and its dialect) whose transaction a SQLite
# ``SyncRunner`` call's session joins (db/sync.py). Statements go straight to it: asking the
# session for its connection would start the session's own transaction bookkeeping (autobegin,
# then a commit and a close that walk it) for every call — on the login's three transactions
# more CPU than their statements. The driver's transaction is the call's either way.
DRIVER = "portal.sqlite_driver"


def execute(session: Session, statement: Executable, values: Mapping[str, Any]) -> Rows:
    """``statement`` with ``values`` in ``session``'s transaction (module docstring). Rows have
    attribute access by column key, as SQLAlchemy's do."""
    joined: tuple[sqlite3.Connection, Dialect] | None = session.info.get(DRIVER)
    if joined is not None:
        driver, dialect = joined
        compiled = _prepared(statement, values, dialect)
        if compiled is not None:
            prepared, row = compiled
            cursor = driver.execute(prepared.sql, prepared.parameters(values))
            found = [row(*raw) for raw in prepared.rows(cursor.fetchall())]
            return Rows(found, cursor.rowcount)
    result = session.connection().execute(statement, dict(values))
    return Rows(result.all() if result.returns_rows else [], result.rowcount)


def _prepared(
    statement: Executable, values: Mapping[str, Any], dialect: Any
) -> tuple[Prepared, type[tuple[Any, ...]]] | None:
    assert isinstance(statement, ClauseElement)
    # An INSERT is compiled for the columns it is given; other statements take bind parameters.
    columns = tuple(values) if getattr(statement, "is_insert", False) else None
    key = (statement, columns)
    if key not in _compiled:
        try:
            prepared = Prepared.compile(statement, dialect, columns=columns)
        except ValueError:
            _compiled[key] = None
        else:
            names = [column.key for column in getattr(statement, "exported_columns", ())]
            _compiled[key] = (prepared, namedtuple("Row", names, rename=True))
    return _compiled[key]
