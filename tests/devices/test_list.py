"""The device list: filters, search, keyset pagination, nested connections, and a number of SQL
statements that does not grow with the page size."""

from __future__ import annotations

import uuid
from typing import Any

import pytest

from domain.enums import DeviceKind, DeviceStatus, Role
from runtime import Services
from tests.devices.queries import DEVICE_COUNTS, DEVICES
from tests.devices.seed import Spec, insert_devices
from tests.factories import Actor, create_actor
from tests.locations.support import defaults, new_area, new_location
from tests.support.gql import data, error_code
from tests.support.server import LiveServer
from tests.support.sql import count_statements


async def ids_of(live: LiveServer, actor: Actor, **variables: Any) -> list[str]:
    result = await data(live, actor, DEVICES, {"first": 100, **variables})
    return [e["node"]["id"] for e in result["devices"]["edges"]]


async def test_filters_and_search(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.USER)
    org = actor.organization.id
    default_location, default_area = await defaults(live, actor)
    admin = await create_actor(services, role=Role.ADMIN, organization=actor.organization)
    berlin = await new_location(live, admin, "Berlin")
    roof = await new_area(live, admin, berlin, "Roof")
    yard = await new_area(live, admin, berlin, "Yard")

    a, b = await insert_devices(
        services,
        org,
        uuid.UUID(default_location),
        uuid.UUID(default_area),
        [
            Spec("Eingang Süd", "SN-1000", mac="02:aa:bb:cc:dd:01"),
            Spec("Lager", "SN-2000", kind=DeviceKind.RECORDER, status=DeviceStatus.OFFLINE),
        ],
    )
    (c,) = await insert_devices(
        services,
        org,
        uuid.UUID(berlin),
        uuid.UUID(roof),
        [Spec("Dach Nord", "RF-3000", model="QNO-6012R", status=DeviceStatus.PENDING)],
    )
    (d,) = await insert_devices(
        services, org, uuid.UUID(berlin), uuid.UUID(yard), [Spec("Hof 100%_x", "YD-4000")]
    )
    # Another organization's devices never show up.
    other = await create_actor(services, role=Role.ADMIN)
    o_location, o_area = await defaults(live, other)
    await insert_devices(
        services,
        other.organization.id,
        uuid.UUID(o_location),
        uuid.UUID(o_area),
        [Spec("Eingang Süd", "OT-1000")],
    )
    a, b, c, d = (str(x) for x in (a, b, c, d))

    assert await ids_of(live, actor) == [a, b, c, d]  # oldest first
    assert await ids_of(live, actor, filter={"locationId": berlin}) == [c, d]
    assert await ids_of(live, actor, filter={"areaId": roof}) == [c]
    assert await ids_of(live, actor, filter={"kind": "RECORDER"}) == [b]
    assert await ids_of(live, actor, filter={"status": "ONLINE"}) == [a, d]
    assert await ids_of(live, actor, filter={"status": "ONLINE", "locationId": berlin}) == [d]
    assert await ids_of(live, actor, filter={"locationId": berlin, "areaId": default_area}) == []
    # A filter id that is no UUID, or that is another tenant's, matches nothing.
    assert await ids_of(live, actor, filter={"areaId": "nonsense"}) == []
    assert await ids_of(live, actor, filter={"areaId": o_area}) == []

    searches = {
        "süd": [a],
        "SÜD": [a],
        "eingang sud": [],  # no accent folding: ü is not u
        "sn-": [a, b],
        "sn-1": [a],
        "aa:bb": [a],
        "AA-BB-CC": [a],
        "aabb.ccdd": [a],
        "ccdd": [a],
        "qno": [c],
        "100%": [d],  # LIKE wildcards are taken literally
        "%": [d],
        "_": [d],
        "nothing like it": [],
        "   ": [a, b, c, d],
    }
    for term, expected in searches.items():
        assert await ids_of(live, actor, search=term) == expected, term
    assert await ids_of(live, actor, search="sn", filter={"kind": "CAMERA"}) == [a]

    result = await data(live, actor, DEVICES, {"search": "sn-", "first": 1})
    assert result["devices"]["totalCount"] == 2
    assert result["devices"]["pageInfo"]["hasNextPage"] is True
    counts = await data(live, actor, DEVICE_COUNTS, {})
    assert counts["deviceCounts"] == {"total": 4, "pending": 1, "online": 2, "offline": 1}

    too_long = await live.graphql(DEVICES, {"search": "x" * 201}, headers=actor.headers)
    assert error_code(too_long) == "BAD_USER_INPUT"


async def test_keyset_pages_have_no_duplicates_or_gaps_even_while_devices_arrive(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    location, area = await defaults(live, actor)
    loc, ar = uuid.UUID(location), uuid.UUID(area)
    org = actor.organization.id
    initial = await insert_devices(
        services, org, loc, ar, [Spec(f"Cam {n}", f"PG-{n:04d}") for n in range(23)]
    )
    seen: list[str] = []
    after = None
    pages = 0
    arrived: list[uuid.UUID] = []
    while True:
        result = await data(live, actor, DEVICES, {"first": 5, "after": after})
        connection = result["devices"]
        edges = connection["edges"]
        seen.extend(e["node"]["id"] for e in edges)
        assert connection["pageInfo"]["hasPreviousPage"] is (after is not None)
        if edges:
            assert connection["pageInfo"]["startCursor"] == edges[0]["cursor"]
            assert connection["pageInfo"]["endCursor"] == edges[-1]["cursor"]
        pages += 1
        if pages == 2:
            # New devices arrive mid-walk: they come after every existing one.
            arrived = await insert_devices(
                services, org, loc, ar, [Spec(f"New {n}", f"NW-{n:04d}") for n in range(3)]
            )
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [str(i) for i in initial + arrived]
    assert len(set(seen)) == len(seen)
    assert pages == 6

    # first=0 gives no edges but says whether there are any.
    empty = await data(live, actor, DEVICES, {"first": 0})
    assert empty["devices"]["edges"] == []
    assert empty["devices"]["pageInfo"]["hasNextPage"] is True
    assert empty["devices"]["totalCount"] == 26


async def test_page_size_is_bounded_and_cursors_are_checked(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    location, area = await defaults(live, actor)
    maximum = live.settings.graphql_max_page_size
    await insert_devices(
        services,
        actor.organization.id,
        uuid.UUID(location),
        uuid.UUID(area),
        [Spec(f"Cam {n}", f"MX-{n:04d}") for n in range(maximum + 1)],
    )
    result = await data(live, actor, DEVICES, {"first": 10_000})
    assert len(result["devices"]["edges"]) == maximum
    assert result["devices"]["pageInfo"]["hasNextPage"] is True
    default = await data(live, actor, DEVICES, {})
    assert len(default["devices"]["edges"]) == 20
    for variables in ({"first": -1}, {"after": "bm90LWEtY3Vyc29y"}, {"after": "%%%"}):
        body = await live.graphql(DEVICES, variables, headers=actor.headers)
        assert error_code(body) == "BAD_USER_INPUT", variables
        assert "Traceback" not in str(body)


NESTED = """
query($first: Int) {
  locations(first: $first) {
    edges { node { id name
      deviceCounts { total online }
      areas(first: 2) { totalCount edges { node { id name deviceCounts { total }
        devices(first: 2) { totalCount edges { node { id } } } } } }
      devices(first: 2) { totalCount edges { node { id name } } pageInfo { hasNextPage } }
    } }
  }
}
"""


async def test_nested_connections_page_per_parent(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    org = actor.organization.id
    berlin = await new_location(live, actor, "Berlin")
    areas = [await new_area(live, actor, berlin, f"Floor {n}") for n in range(3)]
    for n, area in enumerate(areas):
        await insert_devices(
            services,
            org,
            uuid.UUID(berlin),
            uuid.UUID(area),
            [Spec(f"F{n} cam {k}", f"NS-{n}-{k:03d}") for k in range(n + 2)],
        )
    result = await data(live, actor, NESTED, {"first": 10})
    by_name = {e["node"]["name"]: e["node"] for e in result["locations"]["edges"]}
    node = by_name["Berlin"]
    assert node["deviceCounts"] == {"total": 9, "online": 9}
    assert node["devices"]["totalCount"] == 9
    assert len(node["devices"]["edges"]) == 2
    assert node["devices"]["pageInfo"]["hasNextPage"] is True
    assert node["areas"]["totalCount"] == 3
    assert [e["node"]["name"] for e in node["areas"]["edges"]] == ["Floor 0", "Floor 1"]
    for n, edge in enumerate(node["areas"]["edges"]):
        assert edge["node"]["deviceCounts"]["total"] == n + 2
        assert edge["node"]["devices"]["totalCount"] == n + 2
        assert len(edge["node"]["devices"]["edges"]) == 2
    assert by_name["Main Location"]["devices"]["totalCount"] == 0


DEVICE_LIST = """
query($first: Int) {
  devices(first: $first) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { id name serialNumber macAddress kind status
      area { id name } location { id name timeZone } } }
  }
  deviceCounts { total online offline pending }
}
"""


@pytest.mark.parametrize(
    ("query", "field"),
    [(DEVICE_LIST, "devices"), (NESTED, "locations")],
)
async def test_statement_count_does_not_grow_with_the_page_size(
    live: LiveServer, services: Services, query: str, field: str
) -> None:
    actor = await create_actor(services, role=Role.ADMIN)
    org = actor.organization.id
    # 60 locations with 2 areas each, devices spread over them: enough for pages of 50.
    locations = [await new_location(live, actor, f"Site {n}") for n in range(55)]
    for n, location in enumerate(locations):
        first = await new_area(live, actor, location, "A")
        await new_area(live, actor, location, "B")
        await insert_devices(
            services,
            org,
            uuid.UUID(location),
            uuid.UUID(first),
            [Spec(f"Cam {n}", f"SC-{n:04d}")],
        )
    counts = {}
    queries = {}
    for first in (5, 50):
        # Warm the caches (parser, validation) so both runs do the same work apart from size.
        await data(live, actor, query, {"first": first})
        with count_statements(services.db.engine) as statements:
            result = await data(live, actor, query, {"first": first})
        assert len(result[field]["edges"]) == first
        counts[first] = len(statements)
        queries[first] = [s for s in statements if s.lstrip().upper().startswith("SELECT")]
    assert counts[5] == counts[50], counts
    # The principal (1), the list (1), then one batch per edge kind whatever the page size.
    assert len(queries[50]) <= 8, queries[50]
