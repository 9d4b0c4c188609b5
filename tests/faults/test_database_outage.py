"""PostgreSQL refusing, resetting or silently swallowing connections: every edge answers 503 with
Retry-After within the configured waits, the outage is logged once, and service resumes."""

from __future__ import annotations

import logging
import re

import httpx
import pytest

from domain.enums import Role
from identity.oauth import paths
from runtime import Services
from tests.factories import create_actor
from tests.faults.conftest import MODES, eventually, timed
from tests.identity.oidc import Browser, register_client
from tests.support.faults import FaultProxy, Mode
from tests.support.gql import GRAPHQL_RESPONSE_JSON, JSON, post
from tests.support.html import parse_page
from tests.support.server import LiveServer

# The chaos tests cut a database server off: PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.postgresql_only

VIEWER = "{ viewer { role } }"
# Each of the shortened waits (tests/faults/conftest.py) at most once or twice, and margin for
# a loaded machine. Production's defaults are longer; the point is that there is a bound.
BOUND_SECONDS = 8.0


def _outage_lines(caplog: pytest.LogCaptureFixture, text: str) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "portal.dependencies" and text in r.getMessage()]


async def _ready(live: LiveServer) -> bool:
    return (await live.client.get("/readyz")).status_code == 200


@pytest.mark.parametrize("mode", MODES)
async def test_readyz_answers_503_within_its_timeout(
    chaos: FaultProxy, live: LiveServer, mode: Mode, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="portal.dependencies")
    assert await _ready(live)
    await chaos.set_mode(mode)
    for _ in range(3):
        response, elapsed = await timed(live.client.get("/readyz"))
        assert response.status_code == 503, response.text
        assert response.json() == {"status": "unavailable", "database": "unreachable"}
        assert response.headers["retry-after"].isdigit()
        # readiness_timeout_seconds is 1.0: "within a second or two".
        assert elapsed < 2.0, elapsed
    # Logged once for the outage, with its cause, not once per poll — by whoever met it first:
    # the readiness check, or the live server's webhook worker polling its queue meanwhile.
    (line,) = _outage_lines(caplog, "database unavailable")
    assert re.search(r"seen by (readiness check|webhook loop)", line.getMessage()), line

    await chaos.set_mode("pass")
    await eventually(lambda: _ready(live))
    assert _outage_lines(caplog, "database available again")


@pytest.mark.parametrize("mode", MODES)
async def test_graphql_answers_service_unavailable(
    chaos: FaultProxy, live: LiveServer, services: Services, mode: Mode
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    await chaos.set_mode(mode)
    for accept in (GRAPHQL_RESPONSE_JSON, JSON):
        response, elapsed = await timed(
            post(live, {"query": VIEWER}, accept=accept, headers=actor.headers)
        )
        assert elapsed < BOUND_SECONDS, elapsed
        assert response.status_code == 503, response.text
        assert response.headers["retry-after"].isdigit()
        assert response.headers["content-type"].startswith(accept)
        body = response.json()
        assert "data" not in body
        assert [e["extensions"]["code"] for e in body["errors"]] == ["SERVICE_UNAVAILABLE"]

    await chaos.set_mode("pass")

    async def answers() -> bool:
        response = await post(live, {"query": VIEWER}, headers=actor.headers)
        return response.status_code == 200 and response.json().get("data") is not None

    await eventually(answers)


@pytest.mark.parametrize("mode", MODES)
async def test_the_token_endpoint_answers_temporarily_unavailable(
    chaos: FaultProxy, live: LiveServer, services: Services, mode: Mode
) -> None:
    client = await register_client(services)
    await chaos.set_mode(mode)
    response, elapsed = await timed(
        live.client.post(
            paths.TOKEN,
            data={"grant_type": "refresh_token", "refresh_token": "x" * 43},
            auth=httpx.BasicAuth(client.client_id, client.client_secret or ""),
        )
    )
    assert elapsed < BOUND_SECONDS, elapsed
    assert response.status_code == 503, response.text
    assert response.json()["error"] == "temporarily_unavailable"
    assert response.headers["retry-after"].isdigit()
    assert response.headers["cache-control"] == "no-store"


@pytest.mark.parametrize("mode", MODES)
async def test_pages_answer_a_friendly_503(chaos: FaultProxy, live: LiveServer, mode: Mode) -> None:
    # A cookieless form page needs no database (its draft session is a signed cookie: SECURITY.md,
    # no row per page view); signing in does.
    async with Browser(live.url) as browser:
        form = parse_page((await browser.http.get("/login")).text).form("/login").fields
        await chaos.set_mode(mode)
        response, elapsed = await timed(
            browser.http.post(
                "/login",
                data={**form, "email": "someone@example.com", "password": "x" * 20},
            )
        )
    assert elapsed < BOUND_SECONDS, elapsed
    assert response.status_code == 503, response.text
    assert response.headers["content-type"].startswith("text/html")
    assert response.headers["retry-after"].isdigit()
    assert "right back" in response.text
    assert "Traceback" not in response.text and "asyncpg" not in response.text

    await chaos.set_mode("pass")

    async def page() -> bool:
        return (await live.client.get("/login")).status_code == 200

    await eventually(page)
