"""The calibration server: one plain Starlette endpoint answering a small form POST with a small
JSON body, served by uvicorn exactly like the portal (so the ratio removes HTTP, ASGI and the
machine's speed from the refresh benchmark)."""

from __future__ import annotations

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse
from starlette.routing import Route


async def token(request: Request) -> JSONResponse:
    form = await request.body()
    return JSONResponse({"access_token": "x" * 700, "echo": len(form)})


app = Starlette(routes=[Route("/oauth/token", token, methods=["POST"])])
