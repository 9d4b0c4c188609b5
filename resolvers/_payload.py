"""``mutate``: how every mutation runs, and the one place where domain errors become GraphQL
(userErrors for expected failures, GraphQL errors with ``extensions.code`` for missing
authentication or rights).

    return await mutate(info, RenameDevicePayload, rename)

``rename(session, principal, meta)`` runs in one unit of work (committed when it returns) and
answers the payload, ``RenameDevicePayload(device=…)``. A refusal (``UserErrors``, ``NotFound``,
``RateLimited``) rolls the unit of work back and answers ``RenameDevicePayload.failed(...)``
(schema/payloads.py). Two variants, for use cases that open their own transactions (a refusal
whose audit event must be committed, a password hash computed outside any transaction):
``unit_of_work=False`` (the use case gets the principal) and ``anonymous=True`` (sign-up,
activation, password reset: no bearer token, the use case gets nothing).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Literal, TypeVar, overload

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import Forbidden, RateLimited, Unauthenticated, UserErrors
from schema.context import context_of
from schema.errors import UserError, forbidden, unauthenticated
from schema.payloads import Payload

P = TypeVar("P", bound=Payload)

UseCase = Callable[[AsyncSession, Principal, RequestMeta], Awaitable[P]]

_RATE_LIMITED = UserError(
    field=None, message="Too many attempts. Try again later.", code="RATE_LIMITED"
)


@overload
async def mutate(info: strawberry.Info, payload: type[P], use_case: UseCase[P]) -> P: ...


@overload
async def mutate(
    info: strawberry.Info,
    payload: type[P],
    use_case: Callable[[Principal], Awaitable[P]],
    *,
    unit_of_work: Literal[False],
) -> P: ...


@overload
async def mutate(
    info: strawberry.Info,
    payload: type[P],
    use_case: Callable[[], Awaitable[P]],
    *,
    anonymous: Literal[True],
) -> P: ...


async def mutate(
    info: strawberry.Info,
    payload: type[P],
    use_case: Callable[..., Awaitable[P]],
    *,
    unit_of_work: bool = True,
    anonymous: bool = False,
) -> P:
    """Run one mutation's use case and answer its payload (see the module's docstring).

    The principal is loaded first, outside ``run``: missing authentication is a GraphQL error
    (UNAUTHENTICATED), never a userError.
    """
    ctx = context_of(info)
    if anonymous:
        return await _answer(payload, use_case)
    principal = await ctx.principal()
    if not unit_of_work:
        return await _answer(payload, lambda: use_case(principal))

    async def run() -> P:
        async with ctx.services.db.unit_of_work() as session:
            return await use_case(session, principal, ctx.meta)

    return await _answer(payload, run)


async def _answer(payload: type[P], run: Callable[[], Awaitable[P]]) -> P:
    try:
        return await run()
    except UserErrors as exc:
        return payload.refused(exc)
    except RateLimited:
        return payload.failed([_RATE_LIMITED])
    except Unauthenticated as exc:
        raise unauthenticated() from exc
    except Forbidden as exc:
        raise forbidden() from exc
