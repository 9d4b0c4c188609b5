"""The per-request GraphQL context, and ``context_of(info)`` to reach it from a resolver.

How the request's principal is found (``identity.authenticate``: the bearer token, then the
database) is handed in by the endpoint (web/graphql.py), so the GraphQL layers below web and
identity do not import them (pyproject.toml, import-linter contract ``layers``).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from starlette.requests import Request
from starlette.responses import Response

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import Forbidden, Unauthenticated
from runtime import Services
from schema.errors import forbidden, unauthenticated

if TYPE_CHECKING:
    from schema.dataloaders import Loaders


@dataclass
class Context:
    request: Request
    response: Response | None
    services: Services
    meta: RequestMeta
    # The request's principal, or Unauthenticated/Forbidden (identity.authenticate with this
    # request's headers); called at most once, by ``principal()``.
    authenticate: Callable[[], Awaitable[Principal]]
    _principal_task: asyncio.Task[Principal] | None = field(default=None, repr=False)
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def settings(self) -> Any:
        return self.services.settings

    @property
    def loaders(self) -> Loaders:
        # Built on first use: one set of DataLoaders per request (never shared across requests).
        if self._loaders is None:
            from schema.dataloaders import Loaders

            self._loaders = Loaders(self.services)
        return self._loaders

    async def principal(self) -> Principal:
        """The authenticated principal; raises the contract's UNAUTHENTICATED/FORBIDDEN errors.

        Loaded once per request even when sibling resolvers ask at the same time.
        """
        if self._principal_task is None:
            self._principal_task = asyncio.ensure_future(self.authenticate())
        try:
            return await asyncio.shield(self._principal_task)
        except Unauthenticated as exc:
            raise unauthenticated() from exc
        except Forbidden as exc:
            raise forbidden() from exc

    def known_principal(self) -> Principal | None:
        """The principal when it has already been loaded (no await), else None."""
        task = self._principal_task
        if task is None or not task.done() or task.cancelled() or task.exception() is not None:
            return None
        return task.result()

    async def optional_principal(self) -> Principal | None:
        if self.request.headers.get("authorization") is None:
            return None
        return await self.principal()


def context_of(info: Any) -> Context:
    """The request's context from a resolver's ``info`` (Strawberry types it as ``Any``)."""
    return cast(Context, info.context)
