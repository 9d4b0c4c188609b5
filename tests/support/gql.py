"""Small helpers for GraphQL tests over HTTP: run a mutation or query as an actor and pick the
payload, with the assertion messages showing the whole response."""

from __future__ import annotations

from typing import Any

from tests.factories import Actor
from tests.support.server import LiveServer


async def call(
    live: LiveServer, actor: Actor | None, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    return await live.graphql(query, variables, headers=actor.headers if actor else None)


async def data(
    live: LiveServer, actor: Actor | None, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The response's data, asserting there were no GraphQL errors."""
    body = await call(live, actor, query, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


async def ok(
    live: LiveServer, actor: Actor, mutation: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The single payload of a mutation that must succeed (no errors, no userErrors)."""
    result = await data(live, actor, mutation, variables)
    (payload,) = result.values()
    assert payload["userErrors"] == [], payload
    assert isinstance(payload, dict)
    return payload


async def user_errors(
    live: LiveServer, actor: Actor, mutation: str, variables: dict[str, Any]
) -> list[dict[str, Any]]:
    """The userErrors of a mutation that must fail with some (and change nothing)."""
    result = await data(live, actor, mutation, variables)
    (payload,) = result.values()
    assert payload["userErrors"], payload
    errors: list[dict[str, Any]] = payload["userErrors"]
    return errors


def error_code(body: dict[str, Any]) -> str:
    """The ``extensions.code`` of a response's first GraphQL error."""
    assert body.get("errors"), body
    code: str = body["errors"][0]["extensions"]["code"]
    return code
