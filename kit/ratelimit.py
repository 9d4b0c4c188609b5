"""Rate limits over the `limits` library: in-process by default, shared through Redis when
PORTAL_REDIS_URL is set (so several server processes count together)."""

from __future__ import annotations

from limits import RateLimitItem, parse
from limits.aio.storage import MemoryStorage, Storage
from limits.aio.strategies import MovingWindowRateLimiter
from limits.storage import storage_from_string


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
            storage = MemoryStorage()
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

    async def test(self, limit: str, *key: str) -> bool:
        """Would one more attempt pass? Counts nothing."""
        return await self._limiter.test(self._item(limit), self._namespace, *key)

    async def clear(self, limit: str, *key: str) -> None:
        await self._limiter.clear(self._item(limit), self._namespace, *key)

    async def reset_all(self) -> None:
        await self._storage.reset()

    async def healthy(self) -> bool:
        return await self._storage.check()
