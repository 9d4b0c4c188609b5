"""The portal with two extra routes for bench_auth, all served by one ``uvicorn`` process (same
middleware, pools and settings):

* ``POST /bench/plain`` — a plain Starlette endpoint: reads the body, answers the same JSON as
  ``{ viewer { user { id } } }`` (the user id comes from ``PORTAL_BENCH_USER_ID``). The floor:
  HTTP, ASGI, middleware.
* ``POST /bench/auth`` — the same, after ``authenticate()`` (bearer token verified, the principal
  read from the database): the floor plus authentication alone.

``POST /graphql`` with the viewer document is the real thing. ``uvicorn --factory
bench._auth_app:create``; settings from the environment.
"""

from __future__ import annotations

import json
import os

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from identity.authenticate import ORGANIZATION_HEADER, authenticate
from runtime import Services
from server import create_app

VIEWER_QUERY = "{ viewer { user { id } } }"


def _answer(user_id: str) -> Response:
    payload = {"data": {"viewer": {"user": {"id": user_id}}}}
    return Response(
        json.dumps(payload, separators=(",", ":"), ensure_ascii=True).encode("ascii"),
        media_type="application/json",
        headers={"Cache-Control": "no-store"},
    )


async def plain(request: Request) -> Response:
    json.loads(await request.body())
    return _answer(os.environ["PORTAL_BENCH_USER_ID"])


async def authenticated(request: Request) -> Response:
    services: Services = request.state.services
    json.loads(await request.body())
    principal = await authenticate(
        services, request.headers.get("authorization"), request.headers.get(ORGANIZATION_HEADER)
    )
    return _answer(str(principal.user_id))


def create() -> Starlette:
    app = create_app()
    app.router.routes.append(Route("/bench/plain", plain, methods=["POST"]))
    app.router.routes.append(Route("/bench/auth", authenticated, methods=["POST"]))
    return app
