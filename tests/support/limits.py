"""Rate limits for the concurrent-burst tests: in-process, or in Redis as several server processes
share them (``PORTAL_REDIS_URL``)."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domain.accounts.hashing import VerifyResult
from runtime import Services
from settings import Settings
from tests.support.cluster import REDIS_URL, REQUIRE_REDIS, redis_available

# One key prefix per test process; ``fresh_limits`` empties it before each test, because the
# SQLite and PostgreSQL runs of a test share it.
_PREFIX = f"portal-test-{uuid.uuid4().hex[:12]}"


def storages(overrides: dict[str, Any]) -> list[Any]:
    """``overrides`` twice, as the ``settings_overrides`` of a parametrized test: with the limits
    in process, and in Redis."""
    return [
        pytest.param(overrides, id="memory"),
        pytest.param(
            {**overrides, "redis_url": REDIS_URL, "redis_key_prefix": _PREFIX}, id="redis"
        ),
    ]


async def fresh_limits(settings: Settings) -> None:
    """Skip (fail under PORTAL_TEST_REQUIRE_REDIS=1) without Redis; forget earlier counts."""
    if settings.redis_url is None:
        return
    if not await redis_available():
        if REQUIRE_REDIS:
            pytest.fail(f"Redis is required (PORTAL_TEST_REQUIRE_REDIS=1) but {REDIS_URL} is not")
        pytest.skip("Redis is not reachable on this machine")
    import redis.asyncio as redis

    client = redis.Redis.from_url(REDIS_URL)
    try:
        async for key in client.scan_iter(match=f"LIMITS:LIMITER/{_PREFIX}/*"):
            await client.delete(key)
    finally:
        await client.aclose()


def count_verifications(services: Services, monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """Every password verification from now on (its outcome), a dummy one included."""
    outcomes: list[bool] = []
    verify = services.hasher.verify

    async def counted(stored: str | None, password: str) -> VerifyResult:
        result = await verify(stored, password)
        outcomes.append(result.ok)
        return result

    monkeypatch.setattr(services.hasher, "verify", counted)
    return outcomes
