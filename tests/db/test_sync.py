"""db/sync.py: ``SyncRunner``'s transactions — a write commits, a failure loses nothing already
stored and leaves the runner usable, a read never writes — on both engines. On SQLite they share
the database thread's one kept connection (``ThreadConnection``), so each call must also leave no
transaction behind for the next, whatever it did with its session, and a connection that broke
must be replaced."""

from __future__ import annotations

import inspect
from typing import Any

import pytest
from sqlalchemy import insert, select
from sqlalchemy.orm import Session
from sqlalchemy.util import await_only

from db.hot import execute
from db.models import SigningKey
from runtime import Services
from tests.db.rows import signing_key

_INSERT = insert(SigningKey)
_KIDS = select(SigningKey.kid).where(SigningKey.kid.like("sync-%")).order_by(SigningKey.kid)


class _Refused(Exception):
    pass


async def _kids(services: Services) -> list[str]:
    async with services.db.read_session() as session:
        return list((await session.scalars(_KIDS)).all())


def _insert(kid: str) -> Any:
    def call(session: Session) -> str:
        execute(session, _INSERT, signing_key(kid))
        return kid

    return call


def _insert_then_fail(kid: str) -> Any:
    def call(session: Session) -> None:
        execute(session, _INSERT, signing_key(kid))
        raise _Refused

    return call


async def test_a_write_commits_and_a_failed_one_stores_nothing(services: Services) -> None:
    assert await services.sync.write(_insert("sync-1")) == "sync-1"
    with pytest.raises(_Refused):
        await services.sync.write(_insert_then_fail("sync-2"))
    assert await services.sync.write(_insert("sync-3")) == "sync-3"
    assert await _kids(services) == ["sync-1", "sync-3"]


async def test_an_orm_write_commits_as_a_core_one_does(services: Services) -> None:
    def add(session: Session) -> None:
        session.add(SigningKey(**signing_key("sync-orm")))

    await services.sync.write(add)
    assert await _kids(services) == ["sync-orm"]


async def test_hot_and_orm_statements_of_one_call_are_one_transaction(
    services: Services,
) -> None:
    # On SQLite a hot statement goes to the driver without the session (db/hot.py), and an ORM
    # one through the session's connection: whichever comes first, both commit together, and
    # a failure after both stores neither.
    def hot_then_orm(session: Session) -> None:
        execute(session, _INSERT, signing_key("sync-a-hot"))
        session.add(SigningKey(**signing_key("sync-a-orm")))

    def orm_then_hot(session: Session) -> None:
        session.add(SigningKey(**signing_key("sync-b-orm")))
        session.flush()
        execute(session, _INSERT, signing_key("sync-b-hot"))

    def both_then_fail(session: Session) -> None:
        execute(session, _INSERT, signing_key("sync-c-hot"))
        session.add(SigningKey(**signing_key("sync-c-orm")))
        session.flush()
        raise _Refused

    await services.sync.write(hot_then_orm)
    await services.sync.write(orm_then_hot)
    with pytest.raises(_Refused):
        await services.sync.write(both_then_fail)
    assert await _kids(services) == ["sync-a-hot", "sync-a-orm", "sync-b-hot", "sync-b-orm"]


async def test_a_read_sees_what_was_committed_and_writes_nothing(services: Services) -> None:
    await services.sync.write(_insert("sync-1"))
    assert await services.sync.read(lambda session: session.scalars(_KIDS).all()) == ["sync-1"]
    # What a read's call writes is rolled back with it.
    await services.sync.read(_insert("sync-read"))
    assert await _kids(services) == ["sync-1"]


async def test_a_call_that_never_uses_its_session_leaves_no_transaction_open(
    services: Services,
) -> None:
    assert await services.sync.write(lambda session: "nothing") == "nothing"
    assert await services.sync.read(lambda session: "nothing") == "nothing"
    # An open transaction would make the next BEGIN fail (SQLite) or swallow this write.
    await services.sync.write(_insert("sync-after"))
    assert await _kids(services) == ["sync-after"]


async def test_prepared_and_session_writes_take_turns(services: Services) -> None:
    sync = services.sync
    prepared = sync.prepared(_INSERT, columns=tuple(signing_key("x")))

    def insert_prepared(kid: str) -> Any:
        return lambda run: run(prepared, signing_key(kid))

    def fail_prepared(run: Any) -> None:
        run(prepared, signing_key("sync-lost"))
        raise _Refused

    await sync.write_prepared(insert_prepared("sync-a"))
    await sync.write(_insert("sync-b"))
    with pytest.raises(_Refused):
        await sync.write_prepared(fail_prepared)
    await sync.write(_insert("sync-c"))
    await sync.write_prepared(insert_prepared("sync-d"))
    assert await _kids(services) == ["sync-a", "sync-b", "sync-c", "sync-d"]


async def test_a_broken_connection_is_replaced(services: Services) -> None:
    """A call whose connection broke under it (closed, as after a disk error) fails; the next
    gets a working connection."""

    def break_connection(session: Session) -> None:
        execute(session, _INSERT, signing_key("sync-broken"))
        session.connection().invalidate()
        raise _Refused

    with pytest.raises(_Refused):
        await services.sync.write(break_connection)
    await services.sync.write(_insert("sync-next"))
    assert await services.sync.read(lambda session: session.scalars(_KIDS).all()) == ["sync-next"]


async def test_a_closed_driver_connection_is_replaced(services: Services) -> None:
    """The driver's connection closed under a call (SQLite: the thread's kept one): that call
    fails, and the next one gets a working connection."""

    def close_driver(session: Session) -> None:
        execute(session, _INSERT, signing_key("sync-lost"))
        closed = session.connection().connection.driver_connection.close()
        if inspect.isawaitable(closed):  # asyncpg's, inside run_sync's greenlet
            await_only(closed)
        raise _Refused

    with pytest.raises(Exception):  # noqa: B017 (_Refused, or the closed connection's)
        await services.sync.write(close_driver)
    await services.sync.write(_insert("sync-after-close"))
    assert await _kids(services) == ["sync-after-close"]
