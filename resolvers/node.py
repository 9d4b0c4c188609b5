"""``node(id:)``: one object by its id alone, through the root lookups (``device(id:)`` …).

Each lookup runs as its root twin would (an organization: as one of ``viewer.organizations``, or
any live one for an internal admin) — its own policy and, for the token, its own API scope
(schema/scopes.py): a lookup whose scope the token lacks is skipped, so an id in an area the
token cannot read answers null, like an id that never existed. Ids are random UUIDs, unique per
table: in the fixed order below, at most one lookup finds the id.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry

from resolvers.devices import device
from resolvers.licenses import license
from resolvers.locations import area, location
from resolvers.organizations import organization
from schema.context import context_of
from schema.scopes import FIELD_SCOPES
from schema.types.node import Node

Lookup = Callable[[strawberry.Info, strawberry.ID], Awaitable[Node | None]]


# (root twin, its lookup), in the order they are tried.
LOOKUPS: tuple[tuple[str, Lookup], ...] = (
    ("Query.device", device),
    ("Query.location", location),
    ("Query.area", area),
    ("Query.license", license),
    ("Query.viewer", organization),
)


async def node(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The object's id.")],
) -> Node | None:
    principal = await context_of(info).principal()
    for twin, lookup in LOOKUPS:
        scope = FIELD_SCOPES[twin]
        if scope is not None and scope.value not in principal.scopes:
            continue
        found = await lookup(info, id)
        if found is not None:
            return found
    return None


@strawberry.type
class NodeQuery:
    node: Node | None = strawberry.field(
        resolver=node,
        description=(
            "Requires a bearer token. An organization, location, area, device or license by its "
            "id, with the rules of its own lookup (`location`, `area`, `device`, `license`; an "
            "organization as the viewer's own, or any for internal admins) and that lookup's "
            "API scope; null when there is none or the caller may not read it."
        ),
    )
