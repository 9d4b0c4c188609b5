"""db/hot.py: a hot path's statement gives the same rows, counts and stored values whichever
route it takes — ``Prepared`` on SQLite's driver connection, SQLAlchemy elsewhere and for what
``Prepared`` refuses — inside the caller's ``SyncRunner`` transaction."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    bindparam,
    insert,
    select,
    update,
)
from sqlalchemy.orm import Session
from sqlalchemy.sql import Executable

from db import hot
from db.hot import Rows, execute
from db.models import SigningKey
from runtime import Services
from tests.db.rows import signing_key

_INSERT = insert(SigningKey)
_FIND = select(SigningKey.id, SigningKey.kid, SigningKey.public_jwk, SigningKey.created_at).where(
    SigningKey.kid == bindparam("b_kid")
)
_SET_ALGORITHM = (
    update(SigningKey)
    .where(SigningKey.kid == bindparam("b_kid"))
    .values(algorithm=bindparam("b_algorithm"))
)
_PROBE = Table(
    "hot_probe",
    MetaData(),
    Column("id", Integer, primary_key=True),
    Column("note", String(40), default=lambda context: f"row {context.current_parameters['id']}"),
)
_INSERT_PROBE = insert(_PROBE)
Route = Callable[[Session, Executable, Mapping[str, Any]], Rows]


def _sqlalchemy(session: Session, statement: Executable, values: Mapping[str, Any]) -> Rows:
    result = session.connection().execute(statement, dict(values))
    return Rows(result.all() if result.returns_rows else [], result.rowcount)


async def _statements(services: Services, route: Route, kid: str) -> tuple[Any, ...]:
    def call(session: Session) -> tuple[Any, ...]:
        key = signing_key(kid)
        inserted = route(session, _INSERT, key)
        found = route(session, _FIND, {"b_kid": kid}).first()
        absent = route(session, _FIND, {"b_kid": "nobody"}).first()
        changed = route(session, _SET_ALGORITHM, {"b_kid": kid, "b_algorithm": "RS384"})
        missed = route(session, _SET_ALGORITHM, {"b_kid": "nobody", "b_algorithm": "RS384"})
        assert inserted.rows == []
        return (
            (key["id"], key["kid"], key["public_jwk"], key["created_at"]),
            tuple(found),
            (found.id, found.kid),
            absent,
            changed.rowcount,
            missed.rowcount,
        )

    result: tuple[Any, ...] = await services.sync.write(call)
    return result


async def test_both_routes_read_count_and_store_alike(services: Services) -> None:
    hot._compiled.clear()
    fast = await _statements(services, execute, "hot")
    slow = await _statements(services, _sqlalchemy, "slow")
    given, found, named, absent, changed, missed = fast
    assert found == given and named == (given[0], "hot")
    assert absent is None and (changed, missed) == (1, 0)
    assert slow[1] == slow[0] and fast[3:] == slow[3:]
    async with services.db.read_session() as session:
        stored = (
            await session.scalars(
                select(SigningKey)
                .where(SigningKey.kid.in_(["hot", "slow"]))
                .order_by(SigningKey.kid)
            )
        ).all()
    assert [(k.kid, k.algorithm, k.public_jwk, k.created_at) for k in stored] == [
        ("hot", "RS384", given[2], given[3]),
        ("slow", "RS384", given[2], given[3]),
    ]
    # On SQLite the statements took the prepared route (elsewhere SQLAlchemy ran them all).
    compiled = {key: value is not None for key, value in hot._compiled.items()}
    if services.db.is_sqlite:
        assert compiled == {
            (_INSERT, tuple(signing_key("x"))): True,
            (_FIND, None): True,
            (_SET_ALGORITHM, None): True,
        }
    else:
        assert compiled == {}


async def test_a_statement_prepared_cannot_run_goes_through_sqlalchemy(services: Services) -> None:
    """A column default that reads SQLAlchemy's execution context: Prepared refuses it, so
    SQLAlchemy runs the statement, in the same transaction."""

    def create_then_insert(session: Session) -> Rows:
        _PROBE.create(session.connection())
        return execute(session, _INSERT_PROBE, {"id": 7})

    await services.sync.write(create_then_insert)
    async with services.db.read_session() as session:
        rows = (await session.execute(select(_PROBE.c.id, _PROBE.c.note))).all()
    assert [tuple(row) for row in rows] == [(7, "row 7")]
    if services.db.is_sqlite:
        assert hot._compiled[(_INSERT_PROBE, ("id",))] is None
