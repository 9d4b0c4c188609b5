"""The console of one process: built by the composition root (server.py) in the lifespan."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import httpx
from starlette.requests import Request
from starlette.types import ASGIApp

from console.config import ConsoleConfig
from console.oidc import Provider
from console.rendering import Renderer
from console.sessions import Sessions, SessionStore
from console.transport import in_process_client, network_client


@dataclass
class Console:
    config: ConsoleConfig
    sessions: Sessions
    provider: Provider
    api_http: httpx.AsyncClient
    api_url: str
    pages: Renderer
    _owned: tuple[httpx.AsyncClient, ...]

    @classmethod
    def build(
        cls, config: ConsoleConfig, store: SessionStore, *, app: ASGIApp, state: Mapping[str, Any]
    ) -> Console:
        if config.api_url is None:
            local = in_process_client(app, state, config.public_url)
            # The provider is this process too: both go over ASGI.
            return cls(
                config=config,
                sessions=Sessions(store, config),
                provider=Provider(config, local),
                api_http=local,
                api_url="/graphql",
                pages=Renderer(config),
                _owned=(local,),
            )
        remote = network_client(config.public_url)
        return cls(
            config=config,
            sessions=Sessions(store, config),
            provider=Provider(config, remote),
            api_http=remote,
            api_url=config.api_url,
            pages=Renderer(config),
            _owned=(remote,),
        )

    async def close(self) -> None:
        for client in self._owned:
            await client.aclose()


def console_of(request: Request) -> Console:
    console: Console = request.state.console
    return console
