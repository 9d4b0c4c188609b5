"""Schema extensions: error masking with an error id."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Iterator

from graphql import GraphQLError
from strawberry.extensions import SchemaExtension

from domain.errors import Forbidden, NotFound, Unauthenticated
from schema.errors import ErrorCode, PortalGraphQLError, forbidden, unauthenticated

logger = logging.getLogger("portal.graphql")


def _convert(error: GraphQLError) -> GraphQLError:
    original = error.original_error
    if original is None or isinstance(original, PortalGraphQLError):
        # Parse/validation errors and errors we raised on purpose are safe to show as they are.
        if original is None and not (error.extensions or {}).get("code"):
            error.extensions = {**(error.extensions or {}), "code": ErrorCode.BAD_USER_INPUT.value}
        return error
    if isinstance(original, Unauthenticated):
        replacement = unauthenticated()
    elif isinstance(original, Forbidden):
        replacement = forbidden()
    elif isinstance(original, NotFound):
        replacement = PortalGraphQLError(original.errors[0].message, ErrorCode.BAD_USER_INPUT)
        replacement.extensions = {"code": "NOT_FOUND"}
    else:
        error_id = uuid.uuid4().hex
        logger.error(
            "unexpected error %s at %s: %s",
            error_id,
            ".".join(str(p) for p in (error.path or [])),
            original,
            exc_info=(type(original), original, original.__traceback__),
        )
        return GraphQLError(
            "Unexpected error.",
            nodes=error.nodes,
            source=error.source,
            positions=error.positions,
            path=error.path,
            extensions={"code": ErrorCode.INTERNAL_SERVER_ERROR.value, "errorId": error_id},
        )
    return GraphQLError(
        replacement.message,
        nodes=error.nodes,
        source=error.source,
        positions=error.positions,
        path=error.path,
        extensions=replacement.extensions,
    )


class MaskUnexpectedErrors(SchemaExtension):
    """Errors we meant to raise keep their message and code; anything else becomes
    "Unexpected error." with an ``errorId`` that is logged with the full traceback."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        errors = getattr(result, "errors", None)
        if result is not None and errors:
            result.errors = [_convert(e) for e in errors]
