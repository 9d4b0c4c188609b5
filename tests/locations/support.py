"""Making locations and areas over GraphQL, for the tests of locations and of what lives in them."""

from __future__ import annotations

from tests.factories import Actor
from tests.locations.queries import CREATE_AREA, CREATE_LOCATION, LOCATIONS
from tests.support.gql import data, ok
from tests.support.server import LiveServer


async def defaults(live: LiveServer, actor: Actor) -> tuple[str, str]:
    """The default location's id and the default area's id."""
    (edge,) = [
        e
        for e in (await data(live, actor, LOCATIONS, {}))["locations"]["edges"]
        if e["node"]["isDefault"]
    ]
    (area,) = edge["node"]["areas"]["edges"]
    return edge["node"]["id"], area["node"]["id"]


async def new_location(live: LiveServer, actor: Actor, name: str) -> str:
    created = await ok(live, actor, CREATE_LOCATION, {"input": {"name": name, "timeZone": "UTC"}})
    location_id: str = created["location"]["id"]
    return location_id


async def new_area(live: LiveServer, actor: Actor, location_id: str, name: str) -> str:
    created = await ok(
        live, actor, CREATE_AREA, {"input": {"locationId": location_id, "name": name}}
    )
    assert created["area"]["location"]["id"] == location_id
    area_id: str = created["area"]["id"]
    return area_id
