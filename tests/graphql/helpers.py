"""Small helpers for the GraphQL endpoint tests (raw HTTP, so every header and status shows)."""

from __future__ import annotations

import json
from typing import Any

import httpx

from tests.support.server import LiveServer

JSON = "application/json"
GRAPHQL_RESPONSE_JSON = "application/graphql-response+json"


async def post(
    live: LiveServer,
    payload: Any = None,
    *,
    content: bytes | str | None = None,
    content_type: str | None = JSON,
    accept: str | None = None,
    headers: dict[str, str] | None = None,
) -> httpx.Response:
    all_headers = dict(headers or {})
    if content_type is not None:
        all_headers["Content-Type"] = content_type
    if accept is not None:
        all_headers["Accept"] = accept
    body = content if content is not None else json.dumps(payload).encode()
    return await live.client.post("/graphql", content=body, headers=all_headers)


def codes(response: httpx.Response) -> list[str]:
    """The ``extensions.code`` of every error in a GraphQL-shaped body (fails if one is missing)."""
    body = response.json()
    assert isinstance(body.get("errors"), list) and body["errors"], body
    found = []
    for error in body["errors"]:
        assert isinstance(error.get("message"), str) and error["message"], error
        code = (error.get("extensions") or {}).get("code")
        assert isinstance(code, str) and code, error
        found.append(code)
    return found


def only_code(response: httpx.Response) -> str:
    found = codes(response)
    assert len(set(found)) == 1, found
    return found[0]
