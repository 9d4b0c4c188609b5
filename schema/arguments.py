"""Argument descriptions many fields share (Relay paging, the organization a query is about)."""

from __future__ import annotations

import strawberry

FIRST = strawberry.argument(
    description="Page size: at most this many items (default 20, capped by the server, 100 unless "
    "configured)."
)
AFTER = strawberry.argument(
    description="Start after this cursor (a previous page's `pageInfo.endCursor`); omitted: from "
    "the start."
)
ORGANIZATION = strawberry.argument(
    description="The organization; defaults to the working organization."
)
