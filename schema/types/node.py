"""The Relay ``Node`` interface: the objects ``node(id:)`` finds by their id alone."""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object that `node(id:)` finds by its id alone (ids stay plain UUIDs)."
)
class Node:
    id: strawberry.ID = strawberry.field(description="The object's id, a UUID.")
