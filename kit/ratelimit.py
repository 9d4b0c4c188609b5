"""Rate limits over the `limits` library: in-process by default, shared through Redis when
PORTAL_REDIS_URL is set (so several server processes count together).

A budget that guards a guess is reserved before the guess is evaluated (``reserve``: an atomic
hit), never read first and counted later — a concurrent burst would pass such a check."""

from __future__ import annotations

import bisect
import time
from collections.abc import Sequence
from types import TracebackType

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, RedisStorage, Storage
from limits.aio.storage.redis.coredis import CoredisBridge
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string
from limits.typing import AsyncCoRedisClient


class RateLimiter:
    def __init__(
        self,
        redis_url: str | None = None,
        *,
        namespace: str = "portal",
        connect_timeout: float = 2.0,
        timeout: float = 2.0,
    ) -> None:
        storage: Storage
        if redis_url:
            scheme, _, rest = redis_url.partition("://")
            # Bounded waits (SECURITY.md): a silent Redis fails the call (a 503 at the edge,
            # kit/dependencies.py) instead of hanging it. Options go to coredis' from_url.
            storage = storage_from_string(  # type: ignore[assignment]
                f"async+{scheme}://{rest}",
                connect_timeout=connect_timeout,
                stream_timeout=timeout,
            )
        else:
            storage = LocalStorage()
        self._storage = storage
        self._limiter = MovingWindowRateLimiter(storage)
        self._namespace = namespace
        self._parsed: dict[str, RateLimitItem] = {}

    def _item(self, limit: str) -> RateLimitItem:
        item = self._parsed.get(limit)
        if item is None:
            item = self._parsed[limit] = parse(limit)
        return item

    async def hit(self, limit: str, *key: str) -> bool:
        """Count one attempt; False when the limit was already reached (the attempt is refused)."""
        return await self._limiter.hit(self._item(limit), self._namespace, *key)

    async def reserve(self, *budgets: Sequence[str]) -> Reservation | None:
        """Count one attempt against each ``(limit, *key)`` before it is evaluated: all of them,
        or none (None: a limit is reached)."""
        reservation = Reservation(self._storage)
        for limit, *key in budgets:
            item = self._item(limit)
            if not await self._limiter.hit(item, self._namespace, *key):
                await reservation.refund()
                return None
            reservation.keys.append(item.key_for(self._namespace, *key))
        return reservation

    async def clear(self, limit: str, *key: str) -> None:
        await self._limiter.clear(self._item(limit), self._namespace, *key)

    async def reset_all(self) -> None:
        await self._storage.reset()

    async def healthy(self) -> bool:
        return await self._storage.check()

    def close(self) -> None:
        """Drop the Redis connections at the lifespan's end (`limits` has no close of its own)."""
        if isinstance(self._storage, RedisStorage):
            _redis(self._storage).connection_pool.disconnect()


class LocalStorage(MemoryStorage):
    """`limits`' in-process storage, with its expiry pass run on the event loop, at most once a
    second.

    ``MemoryStorage`` starts an expiry pass after every hit, and the pass hands each key's bisect
    to a worker thread (``asyncio.to_thread``): two thread hops per password login from one
    address, and one per key per hit once many addresses are counted — more CPU than the hits
    themselves. A bisect per key takes microseconds on the loop; a second's delay in dropping
    expired entries changes no answer (a hit looks at its own window, expired or not) and keeps
    memory bounded all the same (tests/test_bounded_caches.py).
    """

    EXPIRE_EVERY_SECONDS = 1.0

    def __init__(self) -> None:
        super().__init__()
        self._expires_next = 0.0

    # ``MemoryStorage.__schedule_expiry``, which every hit awaits (a name-mangled private method:
    # `limits` is pinned to the minor version this was written against, pyproject.toml).
    async def _MemoryStorage__schedule_expiry(self) -> None:
        now = time.monotonic()
        if now >= self._expires_next:
            self._expires_next = now + self.EXPIRE_EVERY_SECONDS
            self.expire(time.time())

    def expire(self, now: float) -> None:
        """Drop what expired by ``now``: what ``MemoryStorage``'s pass drops, without awaiting
        (so no hit runs in between, and the keys' locks are not needed)."""
        for key in list(self.events):
            events = self.events[key]
            # Newest first: from ``cutoff`` on, every entry has expired.
            cutoff = bisect.bisect_left(events, -now, key=lambda event: -event.expiry)
            if cutoff:
                self.events[key] = events[:cutoff]
            else:
                del self.events[key]
                self.locks.pop(key, None)
        for key in [key for key, at in self.expirations.items() if at <= now]:
            self.storage.pop(key, None)
            self.expirations.pop(key, None)
            self.locks.pop(key, None)


class Reservation:
    """Attempts counted by ``reserve``. As ``async with`` (budgets that count failures only) they
    are given back when the block ends, unless ``keep()`` was called or it was cancelled."""

    def __init__(self, storage: Storage) -> None:
        self._storage = storage
        self.keys: list[str] = []
        self._kept = False

    def keep(self) -> None:
        self._kept = True

    async def refund(self) -> None:
        # `limits` cannot give an entry back: its moving window is a list of timestamps, newest
        # first (a Redis list, atomically popped), and dropping the newest keeps the count right.
        keys, self.keys = self.keys, []
        for key in keys:
            if isinstance(self._storage, RedisStorage):
                await _redis(self._storage).lpop(self._storage.bridge.prefixed_key(key))
            elif isinstance(self._storage, MemoryStorage) and self._storage.events.get(key):
                self._storage.events[key].pop(0)

    async def __aenter__(self) -> Reservation:
        return self

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        # Cancelled mid-evaluation: the guess may have been evaluated, so it stays counted.
        if not self._kept and (error is None or isinstance(error, Exception)):
            await self.refund()


def _redis(storage: RedisStorage) -> AsyncCoRedisClient:
    assert isinstance(storage.bridge, CoredisBridge)  # the default client of `limits`
    return storage.bridge.get_connection()
