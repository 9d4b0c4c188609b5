"""The one place where domain errors become GraphQL: userErrors for expected failures, GraphQL
errors with ``extensions.code`` for missing authentication or rights."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import TypeVar

from domain.errors import Forbidden, RateLimited, Unauthenticated, UserErrors
from schema.errors import UserError, forbidden, unauthenticated

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
