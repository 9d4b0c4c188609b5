"""The Relay ``Node`` interface: the objects ``node(id:)`` finds by their id alone.

Not ``strawberry.relay.Node``: that one types ``id`` as a ``GlobalID`` (``base64("Type:uuid")``)
and resolves through per-type ``resolve_nodes``; our ids stay the plain UUIDs clients already use,
and ``node`` goes through each type's own root lookup, policy and API scope (resolvers/node.py).
"""

from __future__ import annotations

import strawberry


@strawberry.interface(
    description="An object that `node(id:)` finds by its id alone (ids stay plain UUIDs)."
)
class Node:
    id: strawberry.ID = strawberry.field(description="The object's id, a UUID.")
