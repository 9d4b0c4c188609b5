"""The chaos harness: the portal talks to PostgreSQL (and Redis, and SMTP) through a fault proxy
(tests/support/faults.py) that a test can switch to refuse, reset or blackhole.

Waits are shortened so that a test measures "bounded" in seconds, not in production's defaults.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any, TypeVar

import pytest

from tests.support.faults import FaultProxy, Mode, fault_proxy
from tests.support.server import LiveServer

T = TypeVar("T")

MODES: list[Mode] = ["blackhole", "refuse", "reset"]

FAST_TIMEOUTS: dict[str, Any] = {
    "db_connect_timeout_seconds": 1.0,
    "db_pool_timeout_seconds": 1.0,
    "db_statement_timeout_seconds": 1.0,
    "db_command_timeout_seconds": 1.5,
    "redis_connect_timeout_seconds": 0.5,
    "redis_timeout_seconds": 0.5,
    "readiness_timeout_seconds": 1.0,
    "outbox_workers": 0,
}


@pytest.fixture
async def db_proxy(backend: str, database_url: str) -> AsyncIterator[FaultProxy]:
    if backend != "postgresql":
        pytest.skip("the chaos tests cut a database server off: PostgreSQL")
    async with fault_proxy(database_url, 5432) as proxy:
        yield proxy


@pytest.fixture
def settings_overrides(db_proxy: FaultProxy, database_url: str) -> dict[str, Any]:
    return {"database_url": db_proxy.url(database_url), **FAST_TIMEOUTS}


@pytest.fixture
async def chaos(live: LiveServer, db_proxy: FaultProxy) -> AsyncIterator[FaultProxy]:
    """The database proxy, set back to ``pass`` before the server and its pools shut down."""
    yield db_proxy
    await db_proxy.set_mode("pass")


async def timed(call: Awaitable[T]) -> tuple[T, float]:
    started = time.monotonic()
    result = await call
    return result, time.monotonic() - started


async def eventually(check: Callable[[], Awaitable[bool]], *, seconds: float = 15.0) -> None:
    deadline = time.monotonic() + seconds
    while not await check():
        assert time.monotonic() < deadline, "the condition never held"
        await asyncio.sleep(0.2)
