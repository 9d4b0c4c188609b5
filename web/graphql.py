"""The GraphQL HTTP endpoint (Strawberry's ASGI view with our context)."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.websockets import WebSocket
from strawberry.asgi import GraphQL

from runtime import Services
from schema.context import Context
from web.request_meta import request_meta


class PortalGraphQL(GraphQL[Context, None]):
    async def get_context(
        self, request: Request | WebSocket, response: Response | WebSocket
    ) -> Context:
        assert isinstance(request, Request)
        services: Services = request.state.services
        return Context(
            request=request,
            response=response if isinstance(response, Response) else None,
            services=services,
            meta=request_meta(request, services.settings.trusted_proxies),
        )

    async def get_root_value(self, request: Any) -> None:
        return None
