"""The one place where domain errors become GraphQL: userErrors for expected failures, GraphQL
errors with ``extensions.code`` for missing authentication or rights."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import Forbidden, RateLimited, Unauthenticated, UserErrors
from schema.context import context_of
from schema.errors import UserError, forbidden, unauthenticated
from schema.payloads import AcceptedPayload

T = TypeVar("T")
P = TypeVar("P")


def to_user_errors(exc: UserErrors) -> list[UserError]:
    return [UserError.from_domain(e) for e in exc.errors]


async def run_mutation(
    action: Callable[[], Awaitable[T]],
    on_success: Callable[[T], P],
    on_user_errors: Callable[[list[UserError]], P],
) -> P:
    """Run one domain call; map its expected failures to the payload's ``userErrors``."""
    try:
        result = await action()
    except UserErrors as exc:
        return on_user_errors(to_user_errors(exc))
    except RateLimited:
        return on_user_errors(
            [
                UserError(
                    field=None, message="Too many attempts. Try again later.", code="RATE_LIMITED"
                )
            ]
        )
    except Unauthenticated as exc:
        raise unauthenticated() from exc
    except Forbidden as exc:
        raise forbidden() from exc
    return on_success(result)


async def run_accepted(action: Callable[[], Awaitable[object]]) -> AcceptedPayload:
    """``run_mutation`` for the requests answered ``accepted`` whatever the account (sign-up,
    resend, password reset, partner request): only the mailbox learns what happened."""
    return await run_mutation(action, lambda _: AcceptedPayload.ok(), AcceptedPayload.failed)


async def in_unit_of_work(
    info: strawberry.Info,
    action: Callable[[AsyncSession, Principal, RequestMeta], Awaitable[T]],
) -> Callable[[], Awaitable[T]]:
    """The request's principal first (missing authentication is a GraphQL error, not a
    userError), then ``action`` for ``run_mutation``: one call in one unit of work."""
    ctx = context_of(info)
    principal = await ctx.principal()

    async def run() -> T:
        async with ctx.services.db.unit_of_work() as session:
            return await action(session, principal, ctx.meta)

    return run
