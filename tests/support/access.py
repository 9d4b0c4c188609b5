"""Checking who may call what: an operation is allowed (no errors, no userErrors), FORBIDDEN, or —
for a stranger — answers exactly what it answers for ids that do not exist."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from tests.factories import Actor
from tests.support.gql import call, codes
from tests.support.server import LiveServer


@dataclass(frozen=True)
class Op:
    name: str
    document: str
    variables: dict[str, Any]


def with_ids_replaced(value: Any, replacements: dict[str, str]) -> Any:
    if isinstance(value, str):
        return replacements.get(value, value)
    if isinstance(value, dict):
        return {k: with_ids_replaced(v, replacements) for k, v in value.items()}
    if isinstance(value, list):
        return [with_ids_replaced(v, replacements) for v in value]
    return value


def random_ids(ids: list[str]) -> dict[str, str]:
    return {i: str(uuid.uuid4()) for i in ids}


def garbage_ids(ids: list[str]) -> dict[str, str]:
    return {i: f"not-an-id-{n}" for n, i in enumerate(ids)}


async def assert_allowed(live: LiveServer, actor: Actor, op: Op) -> dict[str, Any]:
    body = await call(live, actor, op.document, op.variables)
    assert "errors" not in body, (op.name, body)
    payload: dict[str, Any] = body["data"][op.name]
    if isinstance(payload, dict) and "userErrors" in payload:
        assert payload["userErrors"] == [], (op.name, payload)
    return payload


async def assert_forbidden(live: LiveServer, actor: Actor, op: Op) -> None:
    body = await call(live, actor, op.document, op.variables)
    assert body.get("errors"), (op.name, body)
    assert [e["extensions"]["code"] for e in body["errors"]] == ["FORBIDDEN"], (op.name, body)
    assert body["data"] is None, (op.name, body)


async def assert_looks_missing(
    live: LiveServer, actor: Actor, op: Op, foreign_ids: list[str]
) -> dict[str, Any]:
    """The answer with another tenant's ids is exactly the answer with ids that never existed
    (random UUIDs, and strings that are no UUID at all), and it says NOT_FOUND / null / empty."""
    real = await call(live, actor, op.document, op.variables)
    for replacements in (random_ids(foreign_ids), garbage_ids(foreign_ids)):
        fake = await call(live, actor, op.document, with_ids_replaced(op.variables, replacements))
        assert _without_paths(real) == _without_paths(fake), (op.name, real, fake)
    return real


def _without_paths(body: dict[str, Any]) -> dict[str, Any]:
    # Error ids (errorId) would differ between calls; NOT_FOUND errors carry none, but keep the
    # comparison about what a client can read.
    errors = body.get("errors")
    if not errors:
        return body
    return {
        **body,
        "errors": [{"message": e["message"], "code": e["extensions"].get("code")} for e in errors],
    }


def not_found_payload(body: dict[str, Any], name: str) -> list[dict[str, Any]]:
    assert "errors" not in body, body
    payload = body["data"][name]
    assert codes(payload) == ["NOT_FOUND"], (name, payload)
    errors: list[dict[str, Any]] = payload["userErrors"]
    return errors
