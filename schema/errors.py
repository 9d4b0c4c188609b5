"""How failures look to clients.

* Expected failures: ``UserError`` objects in a payload's ``userErrors`` (stable ``code``, the input
  path in ``field``).
* No token / no right: a GraphQL error with ``extensions.code`` UNAUTHENTICATED or FORBIDDEN.
* A dependency that is down: SERVICE_UNAVAILABLE (and HTTP 503 with Retry-After), so clients retry.
* Anything else: masked to "Unexpected error." with an ``errorId`` that is in the server log.
"""

from __future__ import annotations

from enum import StrEnum
from typing import Any

import strawberry
from graphql import GraphQLError

from domain.errors import FieldError


@strawberry.type(description="An expected failure: a stable code and the input path it is about.")
class UserError:
    field: list[str] | None = strawberry.field(
        description='The path of the input this error is about, e.g. ["input", "email"].'
    )
    message: str = strawberry.field(description="What went wrong, in words a person can act on.")
    code: str = strawberry.field(
        description="A stable machine-readable code, e.g. INVALID_LICENSE_KEY."
    )

    @classmethod
    def from_domain(cls, error: FieldError) -> UserError:
        return cls(
            field=list(error.field) if error.field else None, message=error.message, code=error.code
        )


class ErrorCode(StrEnum):
    """``extensions.code`` of every GraphQL error we send (docs/ARCHITECTURE.md "Errors").

    Names follow Apollo Server's where one exists, so generic clients understand them.
    """

    # Who you are / what you may do.
    UNAUTHENTICATED = "UNAUTHENTICATED"
    FORBIDDEN = "FORBIDDEN"
    NOT_FOUND = "NOT_FOUND"
    RATE_LIMITED = "RATE_LIMITED"
    # A value the document or its variables carry is invalid (variable coercion, arguments).
    BAD_USER_INPUT = "BAD_USER_INPUT"
    # The HTTP request itself is malformed (JSON, parameters, batching): HTTP 400.
    BAD_REQUEST = "BAD_REQUEST"
    METHOD_NOT_ALLOWED = "METHOD_NOT_ALLOWED"  # HTTP 405 (incl. a mutation sent with GET)
    UNSUPPORTED_MEDIA_TYPE = "UNSUPPORTED_MEDIA_TYPE"  # HTTP 415
    PAYLOAD_TOO_LARGE = "PAYLOAD_TOO_LARGE"  # HTTP 413
    # The document: syntax, validation against the schema, which operation to run.
    GRAPHQL_PARSE_FAILED = "GRAPHQL_PARSE_FAILED"
    GRAPHQL_VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
    OPERATION_RESOLUTION_FAILURE = "OPERATION_RESOLUTION_FAILURE"
    # Over a limit: tokens, nesting, depth, aliases, operations, fragments or cost.
    QUERY_TOO_COMPLEX = "QUERY_TOO_COMPLEX"
    # Masked: the message is generic and ``extensions.errorId`` points into the server log.
    INTERNAL_SERVER_ERROR = "INTERNAL_SERVER_ERROR"
    # A dependency (database, Redis) is down: retry after the response's Retry-After (HTTP 503
    # when nothing of the operation could be answered).
    SERVICE_UNAVAILABLE = "SERVICE_UNAVAILABLE"


class PortalGraphQLError(GraphQLError):
    """A GraphQL error we raise on purpose; its message and code are safe to show.

    ``details`` become further ``extensions`` entries (e.g. a limit and the measured value).
    """

    def __init__(
        self, message: str, code: ErrorCode, *, nodes: Any = None, **details: object
    ) -> None:
        super().__init__(message, nodes=nodes, extensions={"code": code.value, **details})


def unauthenticated() -> PortalGraphQLError:
    return PortalGraphQLError(
        "Authentication required: send a valid access token (Authorization: Bearer …).",
        ErrorCode.UNAUTHENTICATED,
    )


def forbidden() -> PortalGraphQLError:
    return PortalGraphQLError("You do not have permission to do this.", ErrorCode.FORBIDDEN)
