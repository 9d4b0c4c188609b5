"""db/prepared.py: a statement run through ``SyncRunner.write_prepared`` binds and returns values
exactly as SQLAlchemy does, on both engines, and refuses what it cannot do."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import (
    Column,
    Integer,
    MetaData,
    String,
    Table,
    Uuid,
    bindparam,
    insert,
    literal,
    select,
    update,
)

from db.models import SigningKey, User
from db.prepared import Prepared
from db.sync import Run
from db.types import UTCDateTime
from domain.enums import UserStatus
from runtime import Services
from tests.db.rows import PUBLIC_JWK, signing_key
from tests.factories import create_user

_ROUND_TRIP = select(
    bindparam("b_id", type_=Uuid()),
    bindparam("b_at", type_=UTCDateTime()),
    bindparam("b_text", type_=String()),
    bindparam("b_none", type_=Uuid()),
    # A value the statement carries itself, converted by its column's type (an enum name).
    literal(UserStatus.DISABLED, type_=User.__table__.c.status.type),
)


async def test_values_go_in_and_come_out_as_through_sqlalchemy(services: Services) -> None:
    values = {
        "b_id": uuid.uuid4(),
        "b_at": datetime(2026, 12, 7, 12, 30, 1, 123456, tzinfo=UTC),
        "b_text": "naïve ✓",
        "b_none": None,
    }
    sync = services.sync
    prepared = await sync.write_prepared(lambda run: run(sync.prepared(_ROUND_TRIP), values))
    async with services.db.read_session() as session:
        expected = [tuple(row) for row in (await session.execute(_ROUND_TRIP, values)).all()]
    assert prepared == expected
    assert prepared[0][0] == values["b_id"] and prepared[0][1] == values["b_at"]
    assert prepared[0][4] == UserStatus.DISABLED


_INSERT_KEY = insert(SigningKey)
_KEY_COLUMNS = ("id", "kid", "algorithm", "private_pem", "public_jwk", "created_at")
_KEYS_NAMED = select(SigningKey.id).where(SigningKey.kid == bindparam("b_kid"))
_FAIL = (
    update(User)
    .where(User.id == bindparam("b_user_id", type_=User.id.type))
    .values(login_failures=User.login_failures + 1)
)


async def test_the_transaction_commits_or_rolls_back_whole(services: Services) -> None:
    sync = services.sync
    insert_key = sync.prepared(_INSERT_KEY, columns=_KEY_COLUMNS)

    def insert_then_fail(run: Run) -> None:
        run(insert_key, signing_key("rolled-back"))
        raise RuntimeError("after a write")

    with pytest.raises(RuntimeError):
        await sync.write_prepared(insert_then_fail)
    committed = signing_key("committed")
    await sync.write_prepared(lambda run: run(insert_key, committed))
    async with services.db.read_session() as session:
        kept = (await session.scalars(select(SigningKey).where(SigningKey.kid.like("%ed")))).all()
    assert [(key.id, key.kid, key.public_jwk) for key in kept] == [
        (committed["id"], "committed", PUBLIC_JWK)
    ]
    found = await sync.write_prepared(
        lambda run: run(sync.prepared(_KEYS_NAMED), {"b_kid": "committed"})
    )
    assert found == [(committed["id"],)]


async def test_python_side_defaults_are_computed_per_call(services: Services) -> None:
    """A default or ``onupdate`` that is a constant or a function of nothing (``uuid7``,
    ``utcnow``) is computed for each call, as SQLAlchemy computes it."""
    sync = services.sync
    async with services.db.unit_of_work() as session:
        user = await create_user(session)
    before = datetime.now(UTC)
    columns = ("kid", "algorithm", "private_pem", "public_jwk")
    insert_key = sync.prepared(_INSERT_KEY, columns=columns)
    fail = sync.prepared(_FAIL)

    def run_both(run: Run) -> None:
        for kid in ("first", "second"):
            run(
                insert_key, {"kid": kid, "algorithm": "RS256", "private_pem": "-", "public_jwk": {}}
            )
        run(fail, {"b_user_id": user.id})

    await sync.write_prepared(run_both)
    async with services.db.read_session() as session:
        keys = (
            await session.scalars(select(SigningKey).where(SigningKey.private_pem == "-"))
        ).all()
        stored = await session.get(User, user.id)
    assert stored is not None and stored.login_failures == 1
    assert before <= stored.updated_at <= datetime.now(UTC) and stored.updated_at > user.updated_at
    assert len({key.id for key in keys}) == 2 and all(key.id.version == 7 for key in keys)
    assert all(before <= key.created_at <= datetime.now(UTC) for key in keys)


def test_a_default_that_needs_the_execution_context_is_refused(services: Services) -> None:
    table = Table(
        "probe",
        MetaData(),
        Column("id", Integer, primary_key=True),
        Column("note", String(40), default=lambda context: context.current_parameters["id"]),
    )
    with pytest.raises(ValueError, match="execution context"):
        Prepared.compile(insert(table), services.sync.dialect, columns=("id",))
