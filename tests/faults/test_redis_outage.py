"""Redis (the shared rate-limit counters) refusing, resetting or silent: readiness says so within
its timeout, and a request that needs a counter is a 503 with Retry-After, not a hang."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from tests.faults.conftest import FAST_TIMEOUTS, MODES, eventually, timed
from tests.support.cluster import REDIS_URL, REQUIRE_REDIS, redis_available
from tests.support.faults import FaultProxy, Mode, fault_proxy
from tests.support.html import parse_page
from tests.support.server import LiveServer

# The chaos tests cut a database server off: PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.postgresql_only

BOUND_SECONDS = 5.0


@pytest.fixture
async def redis_proxy(db_proxy: FaultProxy) -> AsyncIterator[FaultProxy]:
    if not await redis_available():
        if REQUIRE_REDIS:
            pytest.fail("Redis is required (PORTAL_TEST_REQUIRE_REDIS=1) but unreachable")
        pytest.skip("Redis is not reachable on this machine")
    async with fault_proxy(REDIS_URL, 6379) as proxy:
        yield proxy


@pytest.fixture
def settings_overrides(
    db_proxy: FaultProxy, redis_proxy: FaultProxy, database_url: str
) -> dict[str, Any]:
    return {
        "database_url": db_proxy.url(database_url),
        "redis_url": redis_proxy.url(REDIS_URL),
        "redis_key_prefix": f"chaos-{uuid.uuid4().hex[:8]}",
        **FAST_TIMEOUTS,
    }


@pytest.fixture
async def redis_chaos(live: LiveServer, redis_proxy: FaultProxy) -> AsyncIterator[FaultProxy]:
    yield redis_proxy
    await redis_proxy.set_mode("pass")


@pytest.mark.parametrize("mode", MODES)
async def test_readyz_reports_redis(redis_chaos: FaultProxy, live: LiveServer, mode: Mode) -> None:
    ready = await live.client.get("/readyz")
    assert ready.json() == {"status": "ok", "database": "ok", "redis": "ok"}
    await redis_chaos.set_mode(mode)
    response, elapsed = await timed(live.client.get("/readyz"))
    assert elapsed < 2.0, elapsed
    assert response.status_code == 503
    assert response.json() == {"status": "unavailable", "database": "ok", "redis": "unreachable"}

    await redis_chaos.set_mode("pass")

    async def ready_again() -> bool:
        return (await live.client.get("/readyz")).status_code == 200

    await eventually(ready_again)


@pytest.mark.parametrize("mode", MODES)
async def test_a_login_that_needs_its_budget_is_503(
    redis_chaos: FaultProxy, live: LiveServer, mode: Mode
) -> None:
    page = await live.client.get("/login")
    assert page.status_code == 200
    form = parse_page(page.text).form("/login")
    await redis_chaos.set_mode(mode)
    response, elapsed = await timed(
        live.client.post(
            form.action,
            data={**form.fields, "email": "nobody@example.com", "password": "x" * 20},
        )
    )
    assert elapsed < BOUND_SECONDS, elapsed
    assert response.status_code == 503, response.text
    assert response.headers["retry-after"].isdigit()
    assert "right back" in response.text
