"""Structured logs: every line carries the request id the response announced in X-Request-Id
(the client's, if well-formed, or a new one), the access log and masked GraphQL errors alike."""

from __future__ import annotations

import io
import json
import logging
import re
from pathlib import Path
from typing import Any

import httpx

from domain.enums import Role
from kit.logging import JsonFormatter, RequestIdFilter
from runtime import Services
from tests.factories import create_actor
from tests.support.serve_process import serve_process
from tests.support.server import LiveServer

HEX_ID = re.compile(r"[0-9a-f]{32}")


def _lines(text: str) -> list[dict[str, Any]]:
    # Every line is one JSON object (uvicorn's own lines included), or json.loads fails the test.
    return [json.loads(line) for line in text.splitlines() if line.strip()]


def _access(lines: list[dict[str, Any]], request_id: str) -> dict[str, Any]:
    (line,) = [
        entry
        for entry in lines
        if entry["logger"] == "portal.access" and entry["request_id"] == request_id
    ]
    return line


async def test_served_requests_log_json_lines_with_their_request_id(
    database_url: str, tmp_path: Path
) -> None:
    async with (
        serve_process(database_url, tmp_path, log_format="json") as served,
        httpx.AsyncClient(base_url=served.url, timeout=10) as http,
    ):
        chosen = await http.get("/healthz", headers={"X-Request-Id": "lb-7f3a.9_Z"})
        refused = await http.get("/healthz", headers={"X-Request-Id": "x {fake} line"})
        named = await http.post(
            "/graphql", json={"query": "query Probe { __typename }", "operationName": "Probe"}
        )
        await served.stop()

    assert chosen.headers["x-request-id"] == "lb-7f3a.9_Z"
    # Not a well-formed id (spaces, braces): replaced, and never written to the log.
    assert HEX_ID.fullmatch(refused.headers["x-request-id"])
    assert HEX_ID.fullmatch(named.headers["x-request-id"])
    text = served.log_text()
    assert "{fake}" not in text
    lines = _lines(text)
    assert all("request_id" in line and "time" in line for line in lines)

    line = _access(lines, "lb-7f3a.9_Z")
    assert (line["method"], line["path"], line["status"]) == ("GET", "/healthz", 200)
    assert isinstance(line["duration_ms"], float)
    assert _access(lines, refused.headers["x-request-id"])["path"] == "/healthz"
    line = _access(lines, named.headers["x-request-id"])
    assert (line["path"], line["status"], line["operation"]) == ("/graphql", 200, "Probe")
    # Outside a request (start-up, shutdown) the id is "-".
    assert any(entry["request_id"] == "-" for entry in lines if entry["logger"] == "uvicorn.error")


class _Bug:
    """A database whose every use is a programming error (an outage is not masked)."""

    def __getattr__(self, name: str) -> object:
        raise RuntimeError(name)


async def test_a_masked_error_logs_its_error_id_with_the_request_id(
    live: LiveServer, services: Services, tmp_path: Path
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    # The handler `serve` configures (kit.logging.logging_config), writing to a buffer.
    buffer = io.StringIO()
    handler = logging.StreamHandler(buffer)
    handler.addFilter(RequestIdFilter())
    handler.setFormatter(JsonFormatter())
    graphql_logger = logging.getLogger("portal.graphql")
    graphql_logger.addHandler(handler)
    original = live.services.db
    live.services.db = _Bug()  # type: ignore[assignment]
    try:
        response = await live.client.post(
            "/graphql",
            json={"query": "{ viewer { role } }"},
            headers={**actor.headers, "X-Request-Id": "support-ticket-42"},
        )
    finally:
        live.services.db = original
        graphql_logger.removeHandler(handler)

    (error,) = response.json()["errors"]
    assert error["message"] == "Unexpected error."
    assert response.headers["x-request-id"] == "support-ticket-42"
    (line,) = _lines(buffer.getvalue())
    assert line["level"] == "ERROR"
    assert line["error_id"] == error["extensions"]["errorId"]
    assert line["request_id"] == "support-ticket-42"
    assert line["graphql_path"] == "viewer"
    assert "Traceback" in line["exception"]
