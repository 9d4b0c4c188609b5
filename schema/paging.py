"""Connection arguments (``first``/``after``, ``search``) checked, with the contract's errors."""

from __future__ import annotations

from kit.pagination import InvalidCursor, PageRequest, page_request
from schema.errors import ErrorCode, PortalGraphQLError

DEFAULT_PAGE_SIZE = 20
SEARCH_MAX_LENGTH = 200


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


def check_search(search: str | None) -> None:
    """A list's ``search`` longer than 200 characters is a GraphQL error ``BAD_USER_INPUT``."""
    if search is not None and len(search) > SEARCH_MAX_LENGTH:
        raise PortalGraphQLError(
            f"`search` must be at most {SEARCH_MAX_LENGTH} characters long.",
            ErrorCode.BAD_USER_INPUT,
        )
