"""The per-request GraphQL context."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from starlette.requests import Request
from starlette.responses import Response

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import Forbidden, Unauthenticated
from identity.authenticate import ORGANIZATION_HEADER, authenticate
from runtime import Services
from schema.errors import forbidden, unauthenticated

if TYPE_CHECKING:
    from resolvers.dataloaders import Loaders


@dataclass
class Context:
    request: Request
    response: Response | None
    services: Services
    meta: RequestMeta
    _principal_task: asyncio.Task[Principal] | None = field(default=None, repr=False)
    _loaders: Loaders | None = field(default=None, repr=False)

    @property
    def settings(self) -> Any:
        return self.services.settings

    @property
    def loaders(self) -> Loaders:
        # Built on first use: one set of DataLoaders per request (never shared across requests).
        if self._loaders is None:
            from resolvers.dataloaders import Loaders

            self._loaders = Loaders(self.services)
        return self._loaders

    async def principal(self) -> Principal:
        """The authenticated principal; raises the contract's UNAUTHENTICATED/FORBIDDEN errors.

        Loaded once per request even when sibling resolvers ask at the same time.
        """
        if self._principal_task is None:
            self._principal_task = asyncio.ensure_future(
                authenticate(
                    self.services,
                    self.request.headers.get("authorization"),
                    self.request.headers.get(ORGANIZATION_HEADER),
                )
            )
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
