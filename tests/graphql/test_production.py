"""Production mode hides the schema: no introspection, no suggestions, no GraphiQL; HSTS on.
Development keeps all three (the same checks, the other way round, prove the tests can fail)."""

from __future__ import annotations

import enum
import json
import re
from typing import Any

import pytest
import strawberry

from api.root import build_schema
from settings import Settings
from tests.support.gql import GRAPHQL_RESPONSE_JSON, JSON, error_codes, post
from tests.support.server import LiveServer

INTROSPECTION = [
    "{ __schema { types { name } } }",
    '{ __type(name: "Query") { name fields { name } } }',
    "{ __typename __schema { queryType { name } } }",
    "query { ...F } fragment F on Query { __schema { queryType { name } } }",
]
# Typos that graphql-core would answer with "Did you mean …?" — fields, arguments, types, enum
# values and input fields, in documents and in variables.
TYPOS: list[dict[str, Any]] = [
    {"query": "{ viewr { role } }"},
    {"query": "{ viewer { rol } }"},
    {"query": "{ viewer { user { emial } } }"},
    {"query": "{ __typename @include(iff: true) }"},
    {"query": "query Q($b: Boolen!) { __typename @include(if: $b) }", "variables": {"b": True}},
    {"query": "{ viewer { ... on Viewr { role } } }"},
    {"query": "fragment F on Viewr { role } { viewer { ...F } }"},
    {"query": '{ __type(name: "Query") { fields(includeDeprecatd: true) { name } } }'},
    {"query": "query Q($r: Role!) { __typename @skip(if: false) }", "variables": {"r": "ADMN"}},
    {"query": "query Q($r: Rle) { __typename }"},
]


def _messages(body: dict[str, Any]) -> str:
    return " ".join(error["message"] for error in body.get("errors", []))


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"env": "production"}


async def test_production_refuses_introspection(live: LiveServer) -> None:
    assert live.settings.production
    for query in INTROSPECTION:
        for accept in (JSON, GRAPHQL_RESPONSE_JSON):
            response = await post(live, {"query": query}, accept=accept)
            assert response.status_code == (400 if accept == GRAPHQL_RESPONSE_JSON else 200)
            assert set(error_codes(response)) == {"GRAPHQL_VALIDATION_FAILED"}, query
            body = response.json()
            assert "data" not in body
            assert "introspection" in _messages(body).lower()
            assert '"Viewer"' not in response.text and "queryType" not in json.dumps(
                body.get("data")
            )
    # __typename is not introspection of the schema: clients need it.
    assert (await post(live, {"query": "{ __typename }"})).json() == {
        "data": {"__typename": "Query"}
    }


async def test_production_gives_no_suggestions(live: LiveServer) -> None:
    for payload in TYPOS:
        response = await post(live, payload)
        assert response.status_code == 200, response.text
        error_codes(response)
        assert not re.search(r"did you mean", response.text, re.IGNORECASE), response.text


async def test_production_has_no_graphiql_and_sends_hsts(live: LiveServer) -> None:
    page = await live.client.get("/graphql", headers={"Accept": "text/html"})
    assert page.status_code == 400
    assert page.headers["content-type"] == JSON
    assert "graphiql" not in page.text.lower()
    assert error_codes(page) == ["BAD_REQUEST"]
    for response in (page, await post(live, {"query": "{ __typename }"})):
        assert response.headers["strict-transport-security"].startswith("max-age=")
    health = await live.client.get("/healthz")
    assert "max-age" in health.headers["strict-transport-security"]


@pytest.mark.parametrize("settings_overrides", [{"env": "development"}])
async def test_development_keeps_introspection_and_suggestions(live: LiveServer) -> None:
    assert not live.settings.production
    for query in INTROSPECTION:
        body = (await post(live, {"query": query})).json()
        assert "errors" not in body, body
    suggested = 0
    for payload in TYPOS:
        response = await post(live, payload)
        suggested += bool(re.search(r"did you mean", response.text, re.IGNORECASE))
    # Every typo above that names something close gets a suggestion in development.
    assert suggested >= len(TYPOS) - 2, suggested


@strawberry.enum
class Color(enum.Enum):
    RED = "RED"
    GREEN = "GREEN"


@strawberry.input
class Paint:
    color: Color
    name: str | None = None


@strawberry.type
class PaintQuery:
    @strawberry.field
    def paint(self, paint: Paint, color: Color | None = None) -> str:
        return paint.color.value


@pytest.mark.parametrize("production", [True, False])
async def test_variable_values_get_no_suggestions_in_production(production: bool) -> None:
    # Variable values are coerced during execution, not validation: this checks that
    # hide_suggestions reaches graphql-core's execute too. (Development shows the suggestions, so
    # the test would notice if the switch stopped working.)
    settings = Settings(
        database_url="sqlite+aiosqlite:///unused.db",
        env="production" if production else "development",  # type: ignore[arg-type]
        smtp_url="smtps://relay.example.com:465",
    )
    schema = build_schema(settings, queries=[PaintQuery])
    query = "query Q($p: Paint!, $c: Color) { paint(paint: $p, color: $c) }"
    for variables in (
        {"p": {"colr": "RED"}},
        {"p": {"color": "GREN"}},
        {"p": {"color": "RED"}, "c": "RDE"},
        {"p": {"color": "RED", "nme": "x"}},
    ):
        result = await schema.execute(query, variable_values=variables)
        assert result.errors, variables
        messages = " ".join(e.message for e in result.errors)
        assert ("Did you mean" in messages) is not production, messages
    literal = await schema.execute('{ paint(paint: { color: GRENE, nam: "x" }) }')
    assert literal.errors
    messages = " ".join(e.message for e in literal.errors)
    assert ("Did you mean" in messages) is not production, messages


def test_the_portal_schema_is_built_once_per_set_of_settings() -> None:
    """api/root.py: apps of the same settings share one schema; a setting it depends on makes
    another."""
    development = Settings(database_url="sqlite+aiosqlite:///unused.db")
    same = Settings(database_url="sqlite+aiosqlite:///other.db")
    stricter = Settings(database_url="sqlite+aiosqlite:///unused.db", graphql_max_depth=4)
    assert build_schema(development) is build_schema(same)
    assert build_schema(stricter) is not build_schema(development)
