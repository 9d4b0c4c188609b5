"""Connection arguments (``first``/``after``) to a page request, with the contract's errors."""

from __future__ import annotations

from kit.pagination import InvalidCursor, PageRequest, page_request
from schema.errors import ErrorCode, PortalGraphQLError

DEFAULT_PAGE_SIZE = 20


def page_args(first: int | None, after: str | None, *, maximum: int) -> PageRequest:
    """``first`` defaults to 20 and is capped at ``settings.graphql_max_page_size``; a negative
    ``first`` or a cursor we did not hand out is a GraphQL error ``BAD_USER_INPUT``."""
    if first is not None and first < 0:
        raise PortalGraphQLError("`first` must not be negative.", ErrorCode.BAD_USER_INPUT)
    try:
        return page_request(first, after, default=min(DEFAULT_PAGE_SIZE, maximum), maximum=maximum)
    except InvalidCursor as exc:
        raise PortalGraphQLError(
            "`after` is not a cursor from this list.", ErrorCode.BAD_USER_INPUT
        ) from exc
