"""GraphQL over HTTP: what /graphql accepts, how it refuses the rest, and what every answer carries.

Every refusal is a 4xx with a GraphQL-shaped body (``errors[].extensions.code``), never a 500.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import AsyncIterator

import pytest

from kit.logging import JsonFormatter
from tests.support.gql import GRAPHQL_RESPONSE_JSON, JSON, error_codes, only_code, post
from tests.support.server import LiveServer

TYPENAME = {"query": "{ __typename }"}
INCLUDE = "query Q($b: Boolean!) { __typename @include(if: $b) }"
TYPE_BY_NAME = "query Q($n: String!) { __type(name: $n) { name } }"


async def test_json_posts_and_response_media_types(live: LiveServer) -> None:
    # (request content type, Accept) -> response media type
    cases = [
        (JSON, None, JSON),
        (JSON, JSON, JSON),
        (JSON, GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
        (JSON, "*/*", JSON),
        (JSON, "application/*", JSON),
        (JSON, "text/html", JSON),  # nothing we speak: the default
        (JSON, f"{JSON};q=0.5, {GRAPHQL_RESPONSE_JSON}", GRAPHQL_RESPONSE_JSON),
        (JSON, f"{GRAPHQL_RESPONSE_JSON};q=0, */*", JSON),
        (JSON, f"{GRAPHQL_RESPONSE_JSON}, {JSON}", GRAPHQL_RESPONSE_JSON),
        (JSON, f"{JSON}, {GRAPHQL_RESPONSE_JSON}", JSON),
        ("application/json; charset=utf-8", None, JSON),
        ("Application/JSON; charset=UTF-8", None, JSON),
        (GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON, GRAPHQL_RESPONSE_JSON),
    ]
    for content_type, accept, expected in cases:
        response = await post(live, TYPENAME, content_type=content_type, accept=accept)
        assert response.status_code == 200, (content_type, accept, response.text)
        assert response.headers["content-type"] == expected, (content_type, accept)
        assert response.json() == {"data": {"__typename": "Query"}}
        assert response.headers["cache-control"] == "no-store"
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.headers["x-request-id"]
        assert "default-src 'none'" in response.headers["content-security-policy"]
        # HSTS is for production only (test_production.py).
        assert "strict-transport-security" not in response.headers


async def test_other_content_types_are_refused_with_415(live: LiveServer) -> None:
    body = json.dumps(TYPENAME)
    for content_type in [
        None,
        "text/plain",
        "text/plain;charset=UTF-8",
        "application/x-www-form-urlencoded",
        "application/graphql",
        "application/jsonx",
        "application/json-patch+json",
        "application/json; charset=iso-8859-1",
        "",
        "*/*",
    ]:
        response = await post(live, content=body, content_type=content_type)
        assert response.status_code == 415, (content_type, response.text)
        assert only_code(response) == "UNSUPPORTED_MEDIA_TYPE"
        assert response.headers["cache-control"] == "no-store"
    # No multipart (file uploads): refused as a content type, not parsed.
    multipart = await live.client.post(
        "/graphql",
        data={"operations": body, "map": "{}"},
        files={"0": ("a.txt", b"hello", "text/plain")},
    )
    assert multipart.status_code == 415, multipart.text
    assert only_code(multipart) == "UNSUPPORTED_MEDIA_TYPE"


async def test_methods_get_for_queries_only(live: LiveServer) -> None:
    query = await live.client.get(
        "/graphql", params={"query": TYPE_BY_NAME, "variables": json.dumps({"n": "Query"})}
    )
    assert query.status_code == 200, query.text
    assert query.json() == {"data": {"__type": {"name": "Query"}}}
    assert query.headers["cache-control"] == "no-store"

    for accept in (None, JSON, GRAPHQL_RESPONSE_JSON):
        headers = {"Accept": accept} if accept else {}
        mutation = await live.client.get(
            "/graphql", params={"query": "mutation { __typename }"}, headers=headers
        )
        assert mutation.status_code == 405, mutation.text
        assert mutation.headers["allow"] == "POST"
        assert only_code(mutation) == "METHOD_NOT_ALLOWED"

    for method in ("PUT", "PATCH", "DELETE", "OPTIONS"):
        response = await live.client.request(method, "/graphql", json=TYPENAME)
        assert response.status_code == 405, (method, response.text)
        assert response.headers["allow"] == "GET, POST"
        assert only_code(response) == "METHOD_NOT_ALLOWED"
    head = await live.client.head("/graphql")
    assert head.status_code == 405
    assert head.headers["allow"] == "GET, POST"

    for params in (
        {},  # no query at all
        {"query": "{ __typename }", "variables": "[1]"},
        {"query": "{ __typename }", "variables": "{not json"},
        {"query": "{ __typename }", "extensions": "3"},
    ):
        response = await live.client.get("/graphql", params=params, headers={"Accept": JSON})
        assert response.status_code == 400, (params, response.text)
        assert only_code(response) == "BAD_REQUEST"
    repeated = await live.client.get("/graphql?query={__typename}&query={__typename}")
    assert repeated.status_code == 400
    assert only_code(repeated) == "BAD_REQUEST"


async def test_malformed_requests_get_400_with_a_graphql_error(live: LiveServer) -> None:
    bodies: list[bytes] = [
        b"",
        b"   ",
        b"{",
        b'{"query": "{ __typename }"',
        b"\xff\xfe{}",
        b'{"query": "{ __typename }", "variables": {"a": NaN}}',
        b'"{ __typename }"',
        b"42",
        b"null",
        b"[" * 100_000 + b"]" * 100_000,  # nested deeper than the JSON parser goes
        b'{"query": "{ __typename }", "variables": {"n": ' + b"9" * 5000 + b"}}",
        json.dumps({}).encode(),
        json.dumps({"qeury": "{ __typename }"}).encode(),
        json.dumps({"query": None}).encode(),
        json.dumps({"query": 1}).encode(),
        json.dumps({"query": {"a": 1}}).encode(),
        json.dumps({"query": ["{ __typename }"]}).encode(),
        json.dumps({"query": ""}).encode(),
        json.dumps({"query": "{ __typename }", "variables": "{}"}).encode(),
        json.dumps({"query": "{ __typename }", "variables": [1]}).encode(),
        json.dumps({"query": "{ __typename }", "operationName": 1}).encode(),
        json.dumps({"query": "{ __typename }", "operationName": ["Q"]}).encode(),
        json.dumps({"query": "{ __typename }", "extensions": "x"}).encode(),
    ]
    for body in bodies:
        for accept in (JSON, GRAPHQL_RESPONSE_JSON):
            response = await post(live, content=body, accept=accept)
            assert response.status_code == 400, (body[:80], response.text)
            assert response.headers["content-type"] == accept
            assert only_code(response) == "BAD_REQUEST", body[:80]
            assert "data" not in response.json()


async def test_batched_requests_are_refused(live: LiveServer) -> None:
    response = await post(live, [TYPENAME, TYPENAME])
    assert response.status_code == 400
    assert only_code(response) == "BAD_REQUEST"
    assert "batch" in response.json()["errors"][0]["message"].lower()


async def test_operation_selection(live: LiveServer) -> None:
    two = "query A { __typename } query B { __typename }"
    chosen = await post(live, {"query": two, "operationName": "B"})
    assert chosen.status_code == 200
    assert chosen.json() == {"data": {"__typename": "Query"}}
    for payload in (
        {"query": two},  # which one?
        {"query": two, "operationName": "C"},  # unknown name
        {"query": "{ __typename }", "operationName": "Nope"},
        {"query": "fragment F on Query { __typename }"},  # no operation at all
    ):
        for accept in (JSON, GRAPHQL_RESPONSE_JSON):
            response = await post(live, payload, accept=accept)
            assert response.status_code == 400, (payload, response.text)
            assert only_code(response) == "OPERATION_RESOLUTION_FAILURE"
            assert "data" not in response.json()


async def test_document_errors_follow_the_spec_for_each_media_type(live: LiveServer) -> None:
    cases = [
        ({"query": "{"}, "GRAPHQL_PARSE_FAILED"),
        ({"query": "{ nope }"}, "GRAPHQL_VALIDATION_FAILED"),
        ({"query": INCLUDE, "variables": {"b": "x"}}, "BAD_USER_INPUT"),
        ({"query": INCLUDE, "variables": {}}, "BAD_USER_INPUT"),
        ({"query": INCLUDE, "variables": {"b": None}}, "BAD_USER_INPUT"),
        ({"query": TYPE_BY_NAME, "variables": {"n": 5}}, "BAD_USER_INPUT"),
        ({"query": TYPE_BY_NAME, "variables": {"n": ["Query"]}}, "BAD_USER_INPUT"),
        ({"query": "subscription { x }"}, "OPERATION_RESOLUTION_FAILURE"),
    ]
    for payload, code in cases:
        as_json = await post(live, payload, accept=JSON)
        as_graphql = await post(live, payload, accept=GRAPHQL_RESPONSE_JSON)
        expected_json_status = 400 if code == "OPERATION_RESOLUTION_FAILURE" else 200
        assert as_json.status_code == expected_json_status, (payload, as_json.text)
        assert as_graphql.status_code == 400, (payload, as_graphql.text)
        for response in (as_json, as_graphql):
            assert only_code(response) == code, payload
            assert "data" not in response.json()


async def test_text_must_be_unicode_without_nul(live: LiveServer) -> None:
    query = TYPE_BY_NAME
    for raw in (
        b'{"query": "%s", "variables": {"n": "a\\u0000b"}}' % query.encode(),
        b'{"query": "%s", "variables": {"n": "\\ud800"}}' % query.encode(),
        b'{"query": "%s", "variables": {"n": "\\udc00x\\ud800"}}' % query.encode(),
        b'{"query": "%s", "variables": {"\\u0000": "x"}}' % query.encode(),
        b'{"query": "{ __typename }\\ud83d"}',
        b'{"query": "{ __typename }", "operationName": "\\u0000"}',
        b'{"query": "{ __type(name: \\"\\"\\"a\\u0000b\\"\\"\\") { name } }"}',
    ):
        response = await post(live, content=raw)
        assert response.status_code == 400, (raw, response.text)
        assert only_code(response) == "BAD_USER_INPUT"
    # A NUL reaching a string literal through an escape is refused like one in a variable.
    for literal in ('"a\\u0000"', '"\\u{0}"', '"\\u{000}x"'):
        response = await post(live, {"query": "{ __type(name: " + literal + ") { name } }"})
        assert response.status_code == 200, response.text
        assert error_codes(response) == ["BAD_USER_INPUT"], literal
        assert "data" not in response.json()
    # A surrogate pair (an emoji) is fine.
    fine = await post(live, {"query": query, "variables": {"n": "Run🏃Swim🏊"}})
    assert fine.json() == {"data": {"__type": None}}


async def test_request_bodies_over_the_limit_get_413(live: LiveServer) -> None:
    limit = live.settings.graphql_max_body_bytes
    padded = json.dumps(TYPENAME).encode()
    exactly = padded + b" " * (limit - len(padded))
    assert len(exactly) == limit
    ok = await post(live, content=exactly)
    assert ok.status_code == 200, ok.text

    over = padded + b" " * (limit - len(padded) + 1)
    response = await post(live, content=over)
    assert response.status_code == 413
    assert only_code(response) == "PAYLOAD_TOO_LARGE"

    async def chunks() -> AsyncIterator[bytes]:  # no Content-Length: chunked transfer
        yield b'{"query": "{ __typename }", "x": "'
        for _ in range(limit // 1024 + 2):
            yield b"a" * 1024
        yield b'"}'

    streamed = await live.client.post("/graphql", content=chunks(), headers={"Content-Type": JSON})
    assert streamed.status_code == 413
    assert only_code(streamed) == "PAYLOAD_TOO_LARGE"


async def test_an_announced_oversized_body_is_refused_before_it_is_sent(
    live: LiveServer,
) -> None:
    # Announce 100 MB, send 10 bytes, and wait: the 413 must come without the rest of the body.
    host, port = live.url.removeprefix("http://").split(":")
    reader, writer = await asyncio.open_connection(host, int(port))
    try:
        writer.write(
            b"POST /graphql HTTP/1.1\r\nHost: test\r\nContent-Type: application/json\r\n"
            b"Content-Length: 100000000\r\n\r\n" + b'{"query":"'
        )
        await writer.drain()
        status_line = await asyncio.wait_for(reader.readline(), timeout=10)
        assert status_line.startswith(b"HTTP/1.1 413"), status_line
    finally:
        writer.close()


async def test_graphiql_is_served_in_development(live: LiveServer) -> None:
    page = await live.client.get("/graphql", headers={"Accept": "text/html,*/*;q=0.8"})
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")
    assert "graphiql" in page.text.lower()
    # A GET without a query from something that is not a browser is a bad request.
    plain = await live.client.get("/graphql", headers={"Accept": JSON})
    assert plain.status_code == 400
    assert only_code(plain) == "BAD_REQUEST"


async def test_one_access_log_line_per_request_without_secrets(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="portal.access")
    secret = "s3cr3t-token-value"
    response = await post(
        live,
        {
            "query": "query Hello { __typename }",
            "operationName": "Hello",
            "variables": {"p": secret},
        },
        headers={"Authorization": f"Bearer {secret}", "X-Request-Id": "req-abc.123"},
    )
    assert response.status_code == 200
    health_response = await live.client.get(f"/healthz?token={secret}")
    records = [r for r in caplog.records if r.name == "portal.access"]
    assert len(records) == 2, [r.getMessage() for r in records]
    graphql, health = (r.fields for r in records)  # type: ignore[attr-defined]
    assert graphql["method"] == "POST"
    assert graphql["path"] == "/graphql"
    assert graphql["status"] == 200
    assert graphql["request_id"] == "req-abc.123"
    assert graphql["operation"] == "Hello"
    assert isinstance(graphql["duration_ms"], float)
    assert health["path"] == "/healthz"
    assert health["status"] == 200
    assert health["request_id"] == health_response.headers["x-request-id"]
    logged = " ".join(r.getMessage() + json.dumps(r.fields) for r in records)  # type: ignore[attr-defined]
    assert secret not in logged
    assert "__typename" not in logged  # no bodies


async def test_a_refused_request_is_logged_with_its_status(
    live: LiveServer, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="portal.access")
    await post(live, content=b"{", content_type="text/plain")
    (record,) = [r for r in caplog.records if r.name == "portal.access"]
    assert record.fields["status"] == 415  # type: ignore[attr-defined]


def test_access_log_fields_are_json_fields_with_json_logs() -> None:
    record = logging.LogRecord("portal.access", logging.INFO, __file__, 1, "GET / 200", (), None)
    record.fields = {"method": "GET", "path": "/", "status": 200, "duration_ms": 1.5}
    record.request_id = "abc"
    line = json.loads(JsonFormatter().format(record))
    assert line["message"] == "GET / 200"
    assert line["request_id"] == "abc"
    assert (line["method"], line["path"], line["status"], line["duration_ms"]) == (
        "GET",
        "/",
        200,
        1.5,
    )
