"""Unexpected errors are masked: the client gets "Unexpected error." and an error id; the log has
the same id with the full traceback."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
import strawberry
from graphql import GraphQLError

from api.root import build_schema
from db.database import Database
from domain.enums import Role
from domain.errors import NotFound, RateLimited
from kit.dependencies import OUTAGES
from kit.pagination import InvalidCursor
from runtime import Services
from schema.errors import unauthenticated
from schema.extensions import mask_errors
from settings import Settings
from tests.factories import create_actor
from tests.support.gql import GRAPHQL_RESPONSE_JSON, JSON, error_codes, post
from tests.support.server import LiveServer

VIEWER = "{ viewer { role organization { name } } }"
LEAKS = re.compile(r"traceback|file \"|sqlalchemy|asyncpg|sqlite|select |connect|errno", re.I)


def _unreachable(live: LiveServer, tmp_path: Path) -> Database:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a directory")
    return Database.from_url(
        "postgresql+asyncpg://nobody@127.0.0.1:1/none"
        if live.services.db.is_postgresql
        else f"sqlite+aiosqlite:///{blocker}/portal.db"
    )


class _Bug:
    """A database whose every use is a programming error (not an outage)."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(f"secret internals: {name}")


async def test_an_unexpected_failure_is_masked_and_logged(
    live: LiveServer, services: Services, caplog: pytest.LogCaptureFixture
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    caplog.set_level(logging.ERROR, logger="portal.graphql")
    original = live.services.db
    live.services.db = _Bug()  # type: ignore[assignment]
    try:
        responses = [
            await post(live, {"query": VIEWER}, accept=accept, headers=actor.headers)
            for accept in (JSON, GRAPHQL_RESPONSE_JSON)
        ]
    finally:
        live.services.db = original

    error_ids = []
    for response in responses:
        # A field error: the response has data (null: viewer is non-null), so 200.
        assert response.status_code == 200, response.text
        body = response.json()
        assert body["data"] is None
        (error,) = body["errors"]
        assert error["message"] == "Unexpected error."
        assert error["path"] == ["viewer"]
        assert error["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
        assert re.fullmatch(r"[0-9a-f]{32}", error["extensions"]["errorId"])
        assert not LEAKS.search(response.text), response.text
        error_ids.append(error["extensions"]["errorId"])
    assert len(set(error_ids)) == 2

    logged = [r for r in caplog.records if r.name == "portal.graphql"]
    for error_id in error_ids:
        (record,) = [r for r in logged if error_id in r.getMessage()]
        assert record.exc_info is not None
        assert "viewer" in record.getMessage()
        text = caplog.text
        assert "Traceback" in text
        assert error_id in text


async def test_an_unreachable_database_is_service_unavailable(
    live: LiveServer, services: Services, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # An outage is not a bug: 503 with Retry-After so that clients retry, no error id, and one
    # log line for the outage rather than a traceback per request.
    actor = await create_actor(services, role=Role.ADMIN)
    caplog.set_level(logging.INFO)
    broken = _unreachable(live, tmp_path)
    original = live.services.db
    live.services.db = broken
    try:
        responses = [
            await post(live, {"query": VIEWER}, accept=accept, headers=actor.headers)
            for accept in (JSON, GRAPHQL_RESPONSE_JSON, JSON)
        ]
    finally:
        live.services.db = original
        await broken.dispose()
        OUTAGES.recovered("database")

    for response in responses:
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"].isdigit()
        body = response.json()
        assert "data" not in body
        (error,) = body["errors"]
        assert error["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
        assert error["path"] == ["viewer"]
        assert not LEAKS.search(response.text), response.text
    assert not [r for r in caplog.records if r.name == "portal.graphql"]
    (line,) = [
        r for r in caplog.records if r.name == "portal.dependencies" and r.levelno == logging.ERROR
    ]
    assert "database unavailable" in line.getMessage()


async def test_the_database_recovers(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services)
    response = await post(live, {"query": VIEWER}, headers=actor.headers)
    assert response.json()["data"]["viewer"]["role"] == "SUPER_ADMIN"


def _located(original: Exception) -> GraphQLError:
    return GraphQLError("raw " + str(original), path=["x"], original_error=original)


def test_expected_domain_errors_keep_a_code(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.ERROR, logger="portal.graphql")
    not_found, limited, cursor, crash = mask_errors(
        [
            _located(NotFound("device", field=["id"])),
            _located(RateLimited(3)),
            _located(InvalidCursor("zzz")),
            _located(RuntimeError("SELECT secret FROM users")),
        ]
    )
    assert not_found.message == "The device does not exist."
    assert not_found.extensions == {"code": "NOT_FOUND", "field": ["id"]}
    assert limited.extensions == {"code": "RATE_LIMITED"}
    assert cursor.extensions == {"code": "BAD_USER_INPUT"}
    assert "zzz" not in cursor.message
    assert crash.message == "Unexpected error."
    assert crash.extensions is not None
    assert crash.extensions["code"] == "INTERNAL_SERVER_ERROR"
    assert crash.path == ["x"]
    assert "SELECT" not in str(crash.formatted)
    # Masking again changes nothing and logs nothing more.
    assert mask_errors([crash])[0] is crash
    assert len([r for r in caplog.records if r.name == "portal.graphql"]) == 1


async def test_no_token_is_unauthenticated_not_masked(live: LiveServer) -> None:
    response = await post(live, {"query": VIEWER})
    assert error_codes(response) == ["UNAUTHENTICATED"]


@strawberry.type
class SloppyQuery:
    @strawberry.field
    def name(self) -> str:
        # A bug: a row where a string belongs. graphql-core's complaint would quote the row.
        return {"password_hash": "$argon2id$secret"}  # type: ignore[return-value]

    @strawberry.field
    def refused(self) -> str:
        raise unauthenticated()


async def test_what_graphql_core_says_about_resolver_results_is_masked(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.ERROR, logger="portal.graphql")
    schema = build_schema(
        Settings(database_url="sqlite+aiosqlite:///unused.db"), queries=[SloppyQuery]
    )
    result = await schema.execute("{ name }")
    (error,) = result.errors or []
    assert error.message == "Unexpected error."
    assert "argon2" not in str(error.formatted)
    assert "argon2" in caplog.text  # the log has the details
    # Errors raised on purpose keep their message and code.
    refused = await schema.execute("{ refused }")
    (error,) = refused.errors or []
    assert error.extensions == {"code": "UNAUTHENTICATED"}
