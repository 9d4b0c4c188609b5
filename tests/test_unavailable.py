"""The edge mapping of an outage that escapes a handler (web/unavailable.py), path by path."""

from __future__ import annotations

import httpx
import pytest
import sqlalchemy.exc
from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from web.unavailable import UnavailableMiddleware


async def _pool_empty(request: Request) -> Response:
    raise sqlalchemy.exc.TimeoutError("QueuePool limit of size 10 overflow 10 reached")


async def _bug(request: Request) -> Response:
    raise RuntimeError("a bug")


def _client() -> httpx.AsyncClient:
    app = Starlette(
        routes=[
            Route("/oauth/token", _pool_empty, methods=["POST"]),
            Route("/graphql", _pool_empty, methods=["POST"]),
            Route("/login", _pool_empty),
            Route("/bug", _bug),
        ],
        middleware=[Middleware(UnavailableMiddleware)],
    )
    transport = httpx.ASGITransport(app=app, raise_app_exceptions=True)
    return httpx.AsyncClient(transport=transport, base_url="http://portal.test")


async def test_each_edge_answers_503_in_its_own_shape() -> None:
    async with _client() as client:
        token = await client.post("/oauth/token")
        graphql = await client.post(
            "/graphql", headers={"Accept": "application/graphql-response+json"}
        )
        page = await client.get("/login")
    for response in (token, graphql, page):
        assert response.status_code == 503
        assert response.headers["retry-after"] == "5"
        assert response.headers["cache-control"] == "no-store"
    assert token.json()["error"] == "temporarily_unavailable"
    assert graphql.headers["content-type"].startswith("application/graphql-response+json")
    assert graphql.json()["errors"][0]["extensions"] == {"code": "SERVICE_UNAVAILABLE"}
    assert page.headers["content-type"].startswith("text/html")
    assert "right back" in page.text and "QueuePool" not in page.text


async def test_a_bug_is_not_an_outage() -> None:
    async with _client() as client:
        with pytest.raises(RuntimeError):
            await client.get("/bug")
