"""Liveness and readiness (load balancers poll ``/readyz``; web/serving.py says when to drain).

``/readyz`` checks the database and, when configured, Redis, side by side and within
``PORTAL_READINESS_TIMEOUT_SECONDS``: a dependency that accepts connections but never answers must
make the check fail fast (so the load balancer stops sending traffic), not hang it. An outage is
logged once when it starts and once when it ends (kit/dependencies.py), not once per poll.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable

from starlette.requests import Request
from starlette.responses import JSONResponse

from kit.dependencies import OUTAGES, RETRY_AFTER_SECONDS
from runtime import Services
from web.serving import DRAIN_STATE_KEY, Drain

logger = logging.getLogger("portal.health")


async def healthz(request: Request) -> JSONResponse:
    """The process is up and serving."""
    return JSONResponse({"status": "ok"})


# Probes given up on but still cleaning up (a cancelled connection attempt may take a while to
# let go of its socket): referenced so that they are not collected mid-way.
_ABANDONED: set[asyncio.Task[object]] = set()


def _forget(task: asyncio.Task[object]) -> None:
    _ABANDONED.discard(task)
    if not task.cancelled():
        task.exception()  # retrieved: the outage is already logged


async def _probe(name: str, probe: Callable[[], Awaitable[object]]) -> object:
    if await probe() is False:  # limits' check() answers False instead of raising
        raise ConnectionError(f"{name} did not answer PING")
    return True


async def _check(name: str, probe: Callable[[], Awaitable[object]], seconds: float) -> bool:
    task: asyncio.Task[object] = asyncio.create_task(_probe(name, probe))
    # Not ``asyncio.timeout`` around the probe: cancelling it waits for the driver to clean up
    # (rolling back on a silent server is another wait), and readiness must answer on time.
    done, _ = await asyncio.wait({task}, timeout=seconds)
    if not done:
        task.cancel()
        _ABANDONED.add(task)
        task.add_done_callback(_forget)
        OUTAGES.failed(
            name, TimeoutError(f"no answer within {seconds:g} s"), where="readiness check"
        )
        return False
    exc = task.exception()
    if exc is not None:
        OUTAGES.failed(name, exc, where="readiness check")
        return False
    OUTAGES.recovered(name)
    return True


async def readyz(request: Request) -> JSONResponse:
    """The database (and Redis, where configured) answers, and we are not draining."""
    # Set by the server (web/serving.py) through the lifespan state; absent under other servers.
    drain = request.scope.get("state", {}).get(DRAIN_STATE_KEY)
    if isinstance(drain, Drain) and drain.active:
        return JSONResponse({"status": "draining"}, status_code=503)
    services: Services = request.state.services
    timeout = services.settings.readiness_timeout_seconds
    checks: dict[str, Callable[[], Awaitable[object]]] = {"database": services.db.ping}
    if services.settings.redis_url is not None:
        checks["redis"] = services.limiter.healthy
    results = await asyncio.gather(*(_check(n, p, timeout) for n, p in checks.items()))
    body: dict[str, str] = {
        n: "ok" if ok else "unreachable" for n, ok in zip(checks, results, strict=True)
    }
    if all(results):
        return JSONResponse({"status": "ok", **body})
    return JSONResponse(
        {"status": "unavailable", **body},
        status_code=503,
        headers={"Retry-After": str(RETRY_AFTER_SECONDS)},
    )
