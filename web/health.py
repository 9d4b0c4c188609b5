"""Liveness and readiness (load balancers poll ``/readyz``; web/serving.py says when to drain)."""

from __future__ import annotations

import logging

from starlette.requests import Request
from starlette.responses import JSONResponse

from web.serving import DRAIN_STATE_KEY, Drain

logger = logging.getLogger("portal.health")


async def healthz(request: Request) -> JSONResponse:
    """The process is up and serving."""
    return JSONResponse({"status": "ok"})


async def readyz(request: Request) -> JSONResponse:
    """The database answers, and we are not draining for shutdown."""
    # Set by the server (web/serving.py) through the lifespan state; absent under other servers.
    drain = request.scope.get("state", {}).get(DRAIN_STATE_KEY)
    if isinstance(drain, Drain) and drain.active:
        return JSONResponse({"status": "draining"}, status_code=503)
    try:
        await request.state.services.db.ping()
    except Exception:
        logger.warning("readiness check: database unreachable", exc_info=True)
        return JSONResponse({"status": "unavailable", "database": "unreachable"}, status_code=503)
    return JSONResponse({"status": "ok", "database": "ok"})
