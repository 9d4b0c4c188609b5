"""Error masking: what a client may see of a failure, with an error id for the rest.

A dependency that is down (kit/dependencies.py) is not masked as a bug: ``SERVICE_UNAVAILABLE``,
logged once per outage, not once per error.

``mask_errors`` is applied by the ``MaskUnexpectedErrors`` extension at the end of every operation
and once more by the HTTP endpoint (web/graphql.py) to whatever reaches it: an exception raised by
an extension hook escapes the operation hook and would otherwise be shown as it is. It is
idempotent: an error already masked or coded is left alone, so nothing is logged twice.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator, Sequence

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.errors import Forbidden, RateLimited, Unauthenticated, UserErrors
from kit.dependencies import OUTAGES, unavailable
from kit.pagination import InvalidCursor
from schema.errors import ErrorCode, PortalGraphQLError, forbidden, unauthenticated

logger = logging.getLogger("portal.graphql")

UNEXPECTED_MESSAGE = "Unexpected error."
UNAVAILABLE_MESSAGE = "The service is temporarily unavailable. Try again shortly."


def _rebuilt(error: GraphQLError, message: str, extensions: dict[str, object]) -> GraphQLError:
    """The same location and path, a new message and extensions, no original error."""
    return GraphQLError(
        message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=extensions,
    )


def _safe(error: GraphQLError) -> bool:
    """Whether the message was written for clients: parse, validation and variable errors (no
    cause, or graphql-core's own before execution) and errors raised on purpose. A plain
    GraphQLError *during* execution is graphql-core complaining about what a resolver returned
    ("String cannot represent value: {…}") — a server bug whose message quotes server data."""
    original = error.original_error
    if original is None or isinstance(original, PortalGraphQLError):
        return True
    return isinstance(original, GraphQLError) and error.path is None


def _convert(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or _safe(error):
        # Parse, validation and coercion errors, and errors raised on purpose as GraphQL errors:
        # their messages are written for clients. What carries no code yet is a bad value.
        if not (error.extensions or {}).get("code"):
            error.extensions = {
                **(error.extensions or {}),
                "code": (
                    (original.extensions or {}).get("code")
                    if isinstance(original, GraphQLError) and original.extensions
                    else None
                )
                or ErrorCode.BAD_USER_INPUT.value,
            }
        return error
    if isinstance(original, Unauthenticated):
        replacement = unauthenticated()
        return _rebuilt(error, replacement.message, dict(replacement.extensions or {}))
    if isinstance(original, Forbidden):
        replacement = forbidden()
        return _rebuilt(error, replacement.message, dict(replacement.extensions or {}))
    if isinstance(original, UserErrors):
        # An expected failure outside a mutation payload (a query argument, NotFound): the first
        # error's own code (e.g. NOT_FOUND) and the input path it is about.
        first = original.errors[0]
        extensions: dict[str, object] = {"code": first.code}
        if first.field:
            extensions["field"] = list(first.field)
        return _rebuilt(error, first.message, extensions)
    if isinstance(original, RateLimited):
        return _rebuilt(
            error, "Too many attempts. Try again later.", {"code": ErrorCode.RATE_LIMITED.value}
        )
    if isinstance(original, InvalidCursor):
        return _rebuilt(
            error,
            "The cursor is not valid: use a cursor from a previous page of this list.",
            {"code": ErrorCode.BAD_USER_INPUT.value},
        )
    dependency = unavailable(original)
    if dependency is not None:
        # Not a bug: the client should retry (web/graphql.py adds Retry-After and the 503).
        where = ".".join(str(p) for p in (error.path or [])) or "(operation)"
        OUTAGES.failed(dependency, original, where=f"graphql {where}")
        return _rebuilt(error, UNAVAILABLE_MESSAGE, {"code": ErrorCode.SERVICE_UNAVAILABLE.value})
    error_id = uuid.uuid4().hex
    path = ".".join(str(p) for p in (error.path or [])) or "(operation)"
    # The line also carries the request id (kit/logging.py): a client's errorId and its
    # X-Request-Id each lead to it.
    logger.error(
        "unexpected error %s at %s: %s",
        error_id,
        path,
        type(original).__name__,
        exc_info=(type(original), original, original.__traceback__),
        extra={"fields": {"error_id": error_id, "graphql_path": path}},
    )
    return _rebuilt(
        error,
        UNEXPECTED_MESSAGE,
        {"code": ErrorCode.INTERNAL_SERVER_ERROR.value, "errorId": error_id},
    )


def mask_errors(errors: Sequence[GraphQLError]) -> list[GraphQLError]:
    return [_convert(e) for e in errors]


class MaskUnexpectedErrors(SchemaExtension):
    """Errors we meant to raise keep their message and code; anything else becomes
    "Unexpected error." with an ``errorId`` that is logged with the full traceback."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = mask_errors(errors)
