"""Relay connections (``edges { node cursor }``, ``pageInfo``) built from a keyset page.

Not ``strawberry.relay``: its connections (``ListConnection``, ``@relay.connection``) page a
Python iterable by offset (``arrayconnection:N`` cursors) over ``relay.Node`` types whose ids are
global ids (``base64("Type:uuid")``). Ours page in SQL by keyset (kit/pagination.py: stable under
inserts, no OFFSET scan), count only when ``totalCount`` is asked for, and keep ids plain UUIDs,
as clients already use them (schema.graphql); adopting it would change the contract.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import Any, Generic, Protocol, TypeVar

import strawberry

from kit.pagination import Page, encode_cursor

NodeT = TypeVar("NodeT")
RowT = TypeVar("RowT", bound="_HasId")


class _HasId(Protocol):
    @property
    def id(self) -> uuid.UUID: ...


@strawberry.type(
    description="Where a page sits in its list (Relay): whether there is more, and the cursors to ask for it."
)
class PageInfo:
    has_next_page: bool = strawberry.field(
        description="True when items follow this page: ask again with `after: endCursor`."
    )
    has_previous_page: bool = strawberry.field(
        description="True when items come before this page (always false when paging forward from the start)."
    )
    start_cursor: str | None = strawberry.field(
        description="The first item's cursor (null on an empty page)."
    )
    end_cursor: str | None = strawberry.field(
        description="The last item's cursor, for the next page's `after` (null on an empty page)."
    )


@strawberry.type(description="An item of a list and its cursor.")
class Edge(Generic[NodeT]):
    node: NodeT = strawberry.field(description="The item.")
    cursor: str = strawberry.field(
        description="Opaque position of this item: pass it as `after` to get the items that follow."
    )


def build_edges(
    page: Page[RowT], to_node: Callable[[RowT], NodeT]
) -> tuple[list[Edge[NodeT]], PageInfo]:
    edges = [Edge(node=to_node(row), cursor=encode_cursor(row.id)) for row in page.items]
    info = PageInfo(
        has_next_page=page.has_next_page,
        has_previous_page=page.has_previous_page,
        start_cursor=edges[0].cursor if edges else None,
        end_cursor=edges[-1].cursor if edges else None,
    )
    return edges, info


CountFn = Callable[[], Awaitable[int]]


@strawberry.type(description="A page of a list (Relay connection), ordered by creation.")
class Connection(Generic[NodeT]):
    """Subclass it per node type (``class DeviceConnection(Connection[Device])``) so the schema
    names are explicit, and build it with ``make_connection``."""

    edges: list[Edge[NodeT]] = strawberry.field(
        description="The items of this page, each with its cursor."
    )
    page_info: PageInfo = strawberry.field(
        description="Whether more items follow, and the cursors to page on."
    )
    # How to count the whole list; run only when a client asks for totalCount.
    count: strawberry.Private[CountFn]

    async def _total_count(self) -> int:
        return await self.count()

    total_count: int = strawberry.field(
        resolver=_total_count,
        description="How many items the whole list holds (all pages). Counted on request: on "
        "very large lists ask for it only when you show it.",
    )


ConnectionT = TypeVar("ConnectionT", bound=Connection[Any])


def make_connection(
    cls: type[ConnectionT], page: Page[RowT], to_node: Callable[[RowT], Any], count: CountFn
) -> ConnectionT:
    edges, info = build_edges(page, to_node)
    return cls(edges=edges, page_info=info, count=count)
