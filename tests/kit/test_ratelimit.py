"""kit/ratelimit.py: a reservation is an atomic hit, so a concurrent burst cannot pass the limit,
and a refund gives exactly one back — in process, and in Redis across processes."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import AsyncIterator
from typing import Any

import pytest

from kit.ratelimit import RateLimiter
from tests.support.cluster import REDIS_URL, REQUIRE_REDIS, redis_available


@pytest.fixture(params=["memory", "redis"])
async def limiters(request: pytest.FixtureRequest) -> AsyncIterator[list[RateLimiter]]:
    """Two limiters counting together, as two server processes do (one, in process)."""
    if request.param == "memory":
        limiter = RateLimiter()
        yield [limiter, limiter]
        return
    if not await redis_available():
        if REQUIRE_REDIS:
            pytest.fail(f"Redis is required (PORTAL_TEST_REQUIRE_REDIS=1) but {REDIS_URL} is not")
        pytest.skip("Redis is not reachable on this machine")
    namespace = f"portal-test-{uuid.uuid4().hex[:12]}"
    pair = [RateLimiter(REDIS_URL, namespace=namespace) for _ in range(2)]
    try:
        yield pair
    finally:
        for limiter in pair:
            await limiter.clear("5/hour", "guess")
            await limiter.clear("2/hour", "other")
            limiter.close()


async def test_a_burst_reserves_no_more_than_the_limit(limiters: list[RateLimiter]) -> None:
    reservations = await asyncio.gather(
        *(limiters[n % 2].reserve(("5/hour", "guess")) for n in range(40))
    )
    assert sum(1 for r in reservations if r is not None) == 5


async def test_a_refund_gives_one_back_once(limiters: list[RateLimiter]) -> None:
    first, second = limiters
    held = [await first.reserve(("5/hour", "guess")) for _ in range(5)]
    assert await second.reserve(("5/hour", "guess")) is None
    assert held[0] is not None
    await held[0].refund()
    await held[0].refund()  # a second refund gives nothing more back
    assert await second.reserve(("5/hour", "guess")) is not None
    assert await first.reserve(("5/hour", "guess")) is None


async def test_a_reservation_is_given_back_unless_kept(limiters: list[RateLimiter]) -> None:
    first, _ = limiters
    for _ in range(5):
        reservation = await first.reserve(("5/hour", "guess"))
        assert reservation is not None
        async with reservation:  # a success: given back
            pass
    for _ in range(5):
        reservation = await first.reserve(("5/hour", "guess"))
        assert reservation is not None
        async with reservation:  # a failure: stays counted
            reservation.keep()
    assert await first.reserve(("5/hour", "guess")) is None


async def test_several_budgets_are_reserved_all_or_none(limiters: list[RateLimiter]) -> None:
    first, second = limiters
    for _ in range(2):
        assert await first.reserve(("5/hour", "guess"), ("2/hour", "other")) is not None
    # "other" is spent: nothing is taken from "guess" either.
    assert await second.reserve(("5/hour", "guess"), ("2/hour", "other")) is None
    for _ in range(3):
        assert await second.reserve(("5/hour", "guess")) is not None
    assert await second.reserve(("5/hour", "guess")) is None


async def test_counting_in_process_never_leaves_the_event_loop(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The in-process storage expires entries on the loop (kit/ratelimit.py ``LocalStorage``):
    `limits`' own sent each key's bisect to a worker thread after every hit."""

    hops: list[object] = []

    async def counted_hop(function: Any, *args: Any) -> Any:
        hops.append(function)
        return function(*args)

    monkeypatch.setattr(asyncio, "to_thread", counted_hop)
    limiter = RateLimiter()
    for n in range(20):
        assert await limiter.hit("5/1 second", "address", f"10.0.0.{n}")
        reservation = await limiter.reserve(("5/1 second", "address", f"10.0.1.{n}"))
        assert reservation is not None
        await reservation.refund()
        await asyncio.sleep(0.01)  # let any task the storage started run
    assert hops == []


def test_expiry_drops_what_memory_storage_drops() -> None:
    from limits import parse

    from kit.ratelimit import LocalStorage

    storage = LocalStorage()

    async def fill() -> None:
        item = parse("10/1 second")
        for key, count in (("old", 3), ("mixed", 2)):
            for _ in range(count):
                await storage.acquire_entry(key, item.amount, item.get_expiry())

    asyncio.run(fill())
    later = storage.events["mixed"][0].expiry + 0.001
    storage.events["mixed"].insert(0, type(storage.events["mixed"][0])(60))  # a newer entry
    storage.expire(later)
    assert "old" not in storage.events
    assert len(storage.events["mixed"]) == 1
