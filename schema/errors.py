"""How failures look to clients.

* Expected failures: ``UserError`` objects in a payload's ``userErrors`` (stable ``code``, the input
  path in ``field``).
* No token / no right: a GraphQL error with ``extensions.code`` UNAUTHENTICATED or FORBIDDEN.
* Anything else: masked to "Unexpected error." with an ``errorId`` that is in the server log.
"""

from __future__ import annotations

from enum import StrEnum

import strawberry
from graphql import GraphQLError

from domain.errors import FieldError


@strawberry.type(description="An expected failure: a stable code and the input path it is about.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='The path of the input this error is about, e.g. ["input", "email"].'
    )
    message: str
    code: str

    @classmethod
    def from_domain(cls, error: FieldError) -> UserError:
        return cls(
            field=list(error.field) if error.field else None, message=error.message, code=error.code
        )


class ErrorCode(StrEnum):
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    BAD_USER_INPUT = "BAD_USER_INPUT"
    RATE_LIMITED = "RATE_LIMITED"
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"


class PortalGraphQLError(GraphQLError):
    """A GraphQL error we raise on purpose; its message and code are safe to show."""

    def __init__(self, message: str, code: ErrorCode) -> None:
        super().__init__(message, extensions={"code": code.value})


def unauthenticated() -> PortalGraphQLError:
    return PortalGraphQLError(
        "Authentication required: send a valid access token (Authorization: Bearer …).",
        ErrorCode.UNAUTHENTICATED,
    )


def forbidden() -> PortalGraphQLError:
    return PortalGraphQLError("You do not have permission to do this.", ErrorCode.FORBIDDEN)
