"""The document limits over real HTTP, with the shipped defaults: each refusal is a GraphQL error
``QUERY_TOO_COMPLEX`` (400 with application/graphql-response+json, 200 with application/json,
no ``data``), never a 500 — however big or deep the document."""

from __future__ import annotations

from typing import Any

import pytest

from domain.enums import Role
from runtime import Services
from tests.factories import create_actor
from tests.support.gql import GRAPHQL_RESPONSE_JSON, JSON, error_codes, post
from tests.support.server import LiveServer

ORGANIZATIONS = "viewer { organizations { id name type status country } }"  # costs 502


async def refusal(live: LiveServer, payload: dict[str, Any], limit: str) -> dict[str, Any]:
    """Send as both media types; both must refuse with this limit. Returns the extensions."""
    as_graphql = await post(live, payload, accept=GRAPHQL_RESPONSE_JSON)
    as_json = await post(live, payload, accept=JSON)
    assert as_graphql.status_code == 400, as_graphql.text
    assert as_json.status_code == 200, as_json.text
    for response in (as_graphql, as_json):
        assert error_codes(response) == ["QUERY_TOO_COMPLEX"], response.text
        assert "data" not in response.json()
    extensions: dict[str, Any] = as_json.json()["errors"][0]["extensions"]
    assert extensions["limit"] == limit, extensions
    return extensions


async def test_depth(live: LiveServer) -> None:
    maximum = live.settings.graphql_max_depth

    def nested(levels: int) -> str:
        return "{ " + "a { " * (levels - 1) + "b" + " }" * levels

    at_limit = await post(live, {"query": nested(maximum)})
    assert error_codes(at_limit) == [
        "GRAPHQL_VALIDATION_FAILED"
    ]  # unknown fields, but not too deep
    extensions = await refusal(live, {"query": nested(maximum + 1)}, "depth")
    assert extensions["maximum"] == maximum
    assert extensions["actual"] == maximum + 1


async def test_aliases(live: LiveServer) -> None:
    maximum = live.settings.graphql_max_aliases
    many = " ".join(f"a{i}: __typename" for i in range(maximum))
    ok = await post(live, {"query": f"{{ {many} }}"})
    assert ok.status_code == 200
    assert len(ok.json()["data"]) == maximum
    extensions = await refusal(live, {"query": f"{{ {many} extra: __typename }}"}, "aliases")
    assert extensions["actual"] == maximum + 1


async def test_tokens_including_comments(live: LiveServer) -> None:
    maximum = live.settings.graphql_max_tokens
    fields = " ".join(["__typename"] * (maximum - 2))  # with the braces: exactly the maximum
    ok = await post(live, {"query": f"{{ {fields} }}"})
    assert ok.status_code == 200, ok.text
    await refusal(live, {"query": f"{{ {fields} __typename }}"}, "tokens")
    padded = "# padding\n" * maximum + "{ __typename }"
    extensions = await refusal(live, {"query": padded}, "tokens")
    assert extensions["maximum"] == maximum


async def test_cost(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    nine = " ".join(f"v{i}: {ORGANIZATIONS}" for i in range(9))
    ok = await post(live, {"query": f"{{ {nine} }}"}, headers=actor.headers)
    assert ok.status_code == 200
    body = ok.json()
    assert "errors" not in body, body
    assert body["data"]["v0"]["organizations"][0]["id"] == str(actor.organization.id)
    ten = nine + f" v9: {ORGANIZATIONS}"
    extensions = await refusal(live, {"query": f"{{ {ten} }}"}, "cost")
    assert extensions["maximum"] == live.settings.graphql_max_cost
    assert extensions["actual"] == 10 * 502


async def test_operations_fragments_and_repeats(live: LiveServer) -> None:
    operations = " ".join(
        f"query Q{i} {{ __typename }}" for i in range(live.settings.graphql_max_operations + 1)
    )
    await refusal(live, {"query": operations, "operationName": "Q0"}, "operations")
    fragments = " ".join(
        f"fragment F{i} on Query {{ __typename }}"
        for i in range(live.settings.graphql_max_fragments + 1)
    )
    await refusal(live, {"query": "{ __typename } " + fragments}, "fragments")
    repeated = " ".join(["viewer { role }"] * 11)
    await refusal(live, {"query": f"{{ {repeated} }}"}, "repeats")


async def test_exponential_fragments_are_refused_quickly(live: LiveServer) -> None:
    chain = " ".join(f"fragment F{i} on Query {{ ...F{i + 1} ...F{i + 1} }}" for i in range(40))
    query = "{ ...F0 } " + chain + " fragment F40 on Query { viewer { role } }"
    response = await post(live, {"query": query})
    assert error_codes(response) == ["QUERY_TOO_COMPLEX"]


@pytest.mark.parametrize("settings_overrides", [{"graphql_max_tokens": 1_000_000}])
async def test_documents_nested_beyond_the_stack_are_refused(live: LiveServer) -> None:
    # With the token limit out of the way, the parser's recursion is what gives: still a clean
    # refusal.
    for query in (
        "{ " + "a { " * 10_000 + "b" + " }" * 10_000,
        "{ a(x: " + "[" * 10_000 + "]" * 10_000 + ") }",
        "{ a(x: " + "{ y: " * 10_000 + "1" + " }" * 10_000 + ") }",
        "{ " + "... on Query { " * 10_000 + "__typename" + " }" * 10_000,
    ):
        response = await post(live, {"query": query})
        assert response.status_code == 200, response.text[:300]
        assert error_codes(response) == ["QUERY_TOO_COMPLEX"], response.text[:300]


async def test_giant_and_deep_documents_never_get_a_500(live: LiveServer) -> None:
    limit = live.settings.graphql_max_body_bytes
    room = limit - 100
    for query in (
        "{" * room,
        "{ a { " * (room // 6),
        "{ __typename " + "#" * room + "\n}",  # one long comment: a single token
        '{ __type(name: "' + "x" * room + '") { name } }',  # one long string
        "{ " + "a " * (room // 2) + "}",
        "query Q(" + "$a: Int " * (room // 8) + ") { __typename }",
        "{ a(" + "b: 1 " * (room // 5) + ") }",
        "{ __typename " + "@skip(if: false) " * (room // 17) + "}",
        "\ufeff{ __typename }",
    ):
        for accept in (JSON, GRAPHQL_RESPONSE_JSON):
            response = await post(live, {"query": query}, accept=accept)
            assert response.status_code < 500, (query[:40], response.text[:300])
            body = response.json()
            if "errors" in body:
                error_codes(response)
