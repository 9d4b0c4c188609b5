"""Shutting ``server.py serve`` down: on SIGTERM a process first drains (readiness 503, everything
else still served), then stops accepting, finishes the requests in flight and exits 0."""

from __future__ import annotations

import asyncio
import json
import signal
from pathlib import Path

import httpx
import pytest

from settings import Settings
from tests.support.html import parse_page
from tests.support.serve_process import serve_process

# A fresh connection per request: with ``--workers 2`` each one may reach either worker.
NO_KEEPALIVE = httpx.Limits(max_keepalive_connections=0)


def _messages(log: str) -> list[str]:
    return [json.loads(line)["message"] for line in log.splitlines() if line.startswith("{")]


@pytest.mark.slow
async def test_sigterm_drains_every_worker_then_exits_0(database_url: str, tmp_path: Path) -> None:
    drain, grace = 3.0, 5.0
    async with serve_process(
        database_url,
        tmp_path,
        workers=2,
        shutdown_drain_seconds=str(drain),
        shutdown_grace_seconds=str(int(grace)),
        log_format="json",
    ) as served:
        loop = asyncio.get_running_loop()
        # Ready answers come from the first worker up; wait for the second too (a worker
        # signalled while still starting simply stops: it was never in rotation).
        for _ in range(300):
            if _messages(served.log_text()).count("Application startup complete.") == 2:
                break
            await asyncio.sleep(0.1)
        async with httpx.AsyncClient(base_url=served.url, timeout=10, limits=NO_KEEPALIVE) as http:
            assert (await http.get("/readyz")).status_code == 200
            signalled = loop.time()
            served.process.send_signal(signal.SIGTERM)
            # The supervisor passes the signal on to its workers within half a second.
            while (ready := await http.get("/readyz")).status_code == 200:
                assert loop.time() - signalled < 2, "readiness never turned to draining"
                await asyncio.sleep(0.05)
            assert ready.status_code == 503
            assert ready.json() == {"status": "draining"}
            await asyncio.sleep(0.3)
            # Every worker drains; liveness and ordinary requests are still answered.
            for _ in range(6):
                ready = await http.get("/readyz")
                assert (ready.status_code, ready.json()) == (503, {"status": "draining"})
                alive = await http.get("/healthz")
                assert (alive.status_code, alive.json()) == (200, {"status": "ok"})
                typename = await http.post("/graphql", json={"query": "{ __typename }"})
                assert typename.json() == {"data": {"__typename": "Query"}}
                discovery = await http.get("/.well-known/openid-configuration")
                assert discovery.json()["issuer"] == served.url
            assert loop.time() - signalled < drain, "answered only while draining"

        status = await served.exit_status(within=drain + grace + 15)
        stopped = loop.time() - signalled
    assert status == 0, served.log_text()[-3000:]
    assert drain <= stopped < drain + grace + 5
    messages = _messages(served.log_text())
    draining = [m for m in messages if m.startswith("shutdown: draining for 3.0 s")]
    assert len(draining) == 2, messages  # one per worker


@pytest.mark.slow
async def test_a_request_in_flight_at_shutdown_gets_its_answer(
    database_url: str, tmp_path: Path
) -> None:
    # A login is naturally slow (Argon2id; an unknown email verifies against a dummy hash): with
    # a high time cost it is still running when the short drain ends and the server stops
    # accepting connections.
    async with serve_process(
        database_url,
        tmp_path,
        shutdown_drain_seconds="0.5",
        argon2_time_cost="150",
        log_format="json",
    ) as served:
        loop = asyncio.get_running_loop()
        async with httpx.AsyncClient(base_url=served.url, timeout=60) as browser:
            form = parse_page((await browser.get("/login")).text).form("/login")
            data = {**form.fields, "email": "nobody@example.com", "password": "wrong password 1"}
            login = asyncio.create_task(browser.post(form.action, data=data))
            await asyncio.sleep(0.3)  # sent, and being verified
            signalled = loop.time()
            served.process.send_signal(signal.SIGTERM)
            response = await login
        status = await served.exit_status(within=30)
        stopped = loop.time() - signalled

    # The ordinary answer to wrong credentials: back to the form, which shows the error.
    assert response.status_code == 303, response.text
    assert response.headers["location"].startswith("/login")
    assert status == 0
    assert stopped < 0.5 + 20  # drain + the default grace period
    messages = _messages(served.log_text())
    # Uvicorn had stopped accepting before the login was answered.
    shutting_down = messages.index("Shutting down")
    (answered,) = [i for i, m in enumerate(messages) if m.startswith("POST /login 303")]
    assert answered > shutting_down, messages


async def test_development_stops_at_once_on_ctrl_c(database_url: str, tmp_path: Path) -> None:
    # `make run`: no drain, so Ctrl-C ends the server at once.
    async with serve_process(database_url, tmp_path) as served:
        loop = asyncio.get_running_loop()
        signalled = loop.time()
        served.process.send_signal(signal.SIGINT)
        assert await served.exit_status(within=10) == 0
        assert loop.time() - signalled < 3
    assert "draining" not in served.log_text()


def test_drain_and_log_format_defaults() -> None:
    development = Settings()
    assert (development.drain_seconds, development.json_logs) == (0.0, False)
    relay = "smtps://relay.example.com:465"
    production = Settings(
        env="production",
        public_url="https://portal.example.com",
        smtp_url=relay,
    )
    assert (production.drain_seconds, production.json_logs) == (5.0, True)
    chosen = Settings(
        env="production",
        public_url="https://portal.example.com",
        smtp_url=relay,
        shutdown_drain_seconds=0,
        log_format="text",
    )
    assert (chosen.drain_seconds, chosen.json_logs) == (0.0, False)
