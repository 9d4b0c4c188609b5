"""The one set of helpers for GraphQL tests over HTTP: run an operation as someone, pick the
payload, read the error codes. Every assertion message shows the whole response.

``who`` is an :class:`Actor`, a bearer token, ready-made headers, or ``None`` (nobody signed in).
``post`` is the raw form, for tests about the HTTP edge itself (every header and status shows).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import httpx

from tests.factories import Actor
from tests.support.server import LiveServer

Who = Actor | str | Mapping[str, str] | None

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"
USER_ERRORS = "userErrors { field message code }"  # every payload's errors, in full


def headers_of(who: Who) -> dict[str, str] | None:
    if who is None:
        return None
    if isinstance(who, Actor):
        return who.headers
    if isinstance(who, str):
        return {"Authorization": f"Bearer {who}"}
    return dict(who)


async def call(
    live: LiveServer, who: Who, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The whole response body (the status must be 200)."""
    return await live.graphql(query, variables, headers=headers_of(who))


async def data(
    live: LiveServer, who: Who, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The response's data, asserting there were no GraphQL errors."""
    body = await call(live, who, query, variables)
    assert "errors" not in body, body
    result: dict[str, Any] = body["data"]
    return result


def payload_of(body: dict[str, Any]) -> dict[str, Any]:
    """The single top-level field of a response without GraphQL errors."""
    assert "errors" not in body, body
    (payload,) = body["data"].values()
    assert isinstance(payload, dict), body
    return payload


async def payload_for(
    live: LiveServer, who: Who, query: str, variables: dict[str, Any] | None = None
) -> dict[str, Any]:
    """The single payload of an operation without GraphQL errors (userErrors are the caller's)."""
    return payload_of(await call(live, who, query, variables))


async def mutate(live: LiveServer, who: Who, mutation: str, **input: Any) -> dict[str, Any]:
    """``payload`` of a mutation whose only variable is ``$input``."""
    return await payload_for(live, who, mutation, {"input": input})


async def ok(
    live: LiveServer, who: Who, mutation: str, variables: dict[str, Any]
) -> dict[str, Any]:
    """The single payload of a mutation that must succeed (no errors, no userErrors)."""
    result = await payload_for(live, who, mutation, variables)
    assert result["userErrors"] == [], result
    return result


async def user_errors(
    live: LiveServer, who: Who, mutation: str, variables: dict[str, Any]
) -> list[dict[str, Any]]:
    """The userErrors of a mutation that must fail with some."""
    result = await payload_for(live, who, mutation, variables)
    assert result["userErrors"], result
    errors: list[dict[str, Any]] = result["userErrors"]
    return errors


def codes(payload_or_errors: dict[str, Any] | list[dict[str, Any]]) -> list[str]:
    """The codes of a payload's userErrors (or of a list of userErrors), in order."""
    errors = (
        payload_or_errors["userErrors"]
        if isinstance(payload_or_errors, dict)
        else payload_or_errors
    )
    return [e["code"] for e in errors]


def nodes(body: dict[str, Any], field: str) -> list[dict[str, Any]]:
    """The nodes of a connection at ``field`` of a response without GraphQL errors."""
    assert "errors" not in body, body
    return [edge["node"] for edge in body["data"][field]["edges"]]


def error_code(body: dict[str, Any]) -> str:
    """The ``extensions.code`` of a response's first GraphQL error."""
    assert body.get("errors"), body
    code: str = body["errors"][0]["extensions"]["code"]
    return code


def graphql_code(body: dict[str, Any]) -> str | None:
    """The ``extensions.code`` of a response's first GraphQL error, or None without errors."""
    errors = body.get("errors")
    return errors[0]["extensions"]["code"] if errors else None


async def post(
    live: LiveServer,
    body: Any = None,
    *,
    content: bytes | str | None = None,
    content_type: str | None = JSON,
    accept: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    """A raw POST to /graphql: any body, content type and Accept, the status left to the test."""
    all_headers = dict(headers or {})
    if content_type is not None:
        all_headers["Content-Type"] = content_type
    if accept is not None:
        all_headers["Accept"] = accept
    raw = content if content is not None else json.dumps(body).encode()
    return await live.client.post("/graphql", content=raw, headers=all_headers)


def error_codes(response: httpx.Response | dict[str, Any]) -> list[str]:
    """The ``extensions.code`` of every error in a GraphQL-shaped body (fails if there is none,
    or one has no message or code)."""
    body = response.json() if isinstance(response, httpx.Response) else response
    assert isinstance(body.get("errors"), list) and body["errors"], body
    found = []
    for error in body["errors"]:
        assert isinstance(error.get("message"), str) and error["message"], error
        code = (error.get("extensions") or {}).get("code")
        assert isinstance(code, str) and code, error
        found.append(code)
    return found


def only_code(response: httpx.Response) -> str:
    """The one ``extensions.code`` all the response's errors share."""
    found = error_codes(response)
    assert len(set(found)) == 1, found
    return found[0]
