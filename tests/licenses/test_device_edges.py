"""The edges between licenses and devices: ``License.devices`` (a connection) and
``Device.licenses`` (a short list), through DataLoaders, inside the viewer's organization."""

from __future__ import annotations

from typing import Any

from sqlalchemy import func, select

from db.models import LicenseAttachment
from domain.enums import Role
from runtime import Services
from tests.factories import attach_device, create_actor, create_device, create_license
from tests.licenses.support import ATTACH, statements_for
from tests.support.gql import call, mutate
from tests.support.server import LiveServer

LICENSE_DEVICES = """
query($id: ID!, $first: Int, $after: String) {
  license(id: $id) {
    seatsUsed
    devices(first: $first, after: $after) {
      totalCount
      pageInfo { hasNextPage endCursor }
      edges { cursor node { id name licenses { id product { key } status } } }
    }
  }
}
"""

DEVICE_LICENSES = """
query($id: ID!) { device(id: $id) { id licenses { id product { key } seatsUsed status } } }
"""

LIST_WITH_DEVICES = """
query($first: Int) {
  licenses(first: $first) {
    edges { node { id status product { key } devices(first: 3) { totalCount edges { node { id name } } } } }
  }
}
"""

DEVICES_WITH_LICENSES = """
query($first: Int) {
  devices(first: $first) {
    edges { node { id name licenses { id status seatsUsed product { key } } } }
  }
}
"""

REMOVE_DEVICE = """
mutation($input: RemoveDeviceInput!) {
  removeDevice(input: $input) { removedDeviceId userErrors { code } }
}
"""


async def test_a_license_pages_through_its_devices(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services)
    async with services.db.unit_of_work() as session:
        lic, _ = await create_license(session, organization=actor.organization, seats=5)
        devices = [await create_device(session, actor.organization) for _ in range(5)]
    for device in devices:
        payload = await mutate(live, actor, ATTACH, licenseId=str(lic.id), deviceId=str(device.id))
        assert payload["userErrors"] == []

    seen: list[str] = []
    after = None
    while True:
        body = await call(
            live, actor, LICENSE_DEVICES, {"id": str(lic.id), "first": 2, "after": after}
        )
        assert "errors" not in body, body
        connection = body["data"]["license"]["devices"]
        assert connection["totalCount"] == 5
        for edge in connection["edges"]:
            node = edge["node"]
            seen.append(node["id"])
            assert node["licenses"] == [
                {"id": str(lic.id), "product": {"key": "HEALTHPRO"}, "status": "IN_USE"}
            ]
        if not connection["pageInfo"]["hasNextPage"]:
            break
        after = connection["pageInfo"]["endCursor"]
    assert seen == [str(d.id) for d in sorted(devices, key=lambda d: d.id)]


async def test_a_device_lists_the_licenses_it_holds(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services)
    async with services.db.unit_of_work() as session:
        device = await create_device(session, actor.organization)
        bare = await create_device(session, actor.organization)
        health, _ = await create_license(session, organization=actor.organization, seats=3)
        sight, _ = await create_license(
            session, product_key="SIGHTMIND", organization=actor.organization
        )
    for lic in (sight, health):
        await mutate(live, actor, ATTACH, licenseId=str(lic.id), deviceId=str(device.id))
    body = await call(live, actor, DEVICE_LICENSES, {"id": str(device.id)})
    assert body["data"]["device"]["licenses"] == [
        {"id": str(health.id), "product": {"key": "HEALTHPRO"}, "seatsUsed": 1, "status": "IN_USE"},
        {"id": str(sight.id), "product": {"key": "SIGHTMIND"}, "seatsUsed": 1, "status": "IN_USE"},
    ]
    body = await call(live, actor, DEVICE_LICENSES, {"id": str(bare.id)})
    assert body["data"]["device"]["licenses"] == []
    # A member who only reads sees the same.
    user = await create_actor(services, role=Role.USER, organization=actor.organization)
    body = await call(live, user, DEVICE_LICENSES, {"id": str(device.id)})
    assert len(body["data"]["device"]["licenses"]) == 2


async def test_edges_never_cross_into_another_organization(
    live: LiveServer, services: Services
) -> None:
    """Even rows that break the rules (an attachment across organizations, written straight to the
    database) are not served through either edge."""
    owner = await create_actor(services)
    other = await create_actor(services)
    async with services.db.unit_of_work() as session:
        lic, _ = await create_license(session, organization=owner.organization, seats=2)
        foreign = await create_device(session, other.organization)
        await attach_device(session, lic, foreign)
    body = await call(live, owner, LICENSE_DEVICES, {"id": str(lic.id), "first": 10})
    assert "errors" not in body, body
    assert body["data"]["license"]["devices"]["edges"] == []
    body = await call(live, other, DEVICE_LICENSES, {"id": str(foreign.id)})
    assert body["data"]["device"]["licenses"] == []


async def test_removing_a_device_frees_its_seat(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services)
    async with services.db.unit_of_work() as session:
        lic, _ = await create_license(session, organization=actor.organization, seats=1)
        first = await create_device(session, actor.organization)
        second = await create_device(session, actor.organization)
    assert (await mutate(live, actor, ATTACH, licenseId=str(lic.id), deviceId=str(first.id)))[
        "userErrors"
    ] == []
    removed = await mutate(live, actor, REMOVE_DEVICE, id=str(first.id))
    assert removed["userErrors"] == []
    payload = await mutate(live, actor, ATTACH, licenseId=str(lic.id), deviceId=str(second.id))
    assert payload["userErrors"] == []
    assert payload["license"]["seatsUsed"] == 1
    async with services.db.read_session() as session:
        assert await session.scalar(select(func.count()).select_from(LicenseAttachment)) == 1


async def _fleet(services: Services, licenses: int) -> Any:
    actor = await create_actor(services)
    products = ("HEALTHPRO", "SIGHTMIND", "PLATESENSE")
    async with services.db.unit_of_work() as session:
        devices = [await create_device(session, actor.organization) for _ in range(licenses)]
        for i in range(licenses):
            lic, _ = await create_license(
                session, product_key=products[i % 3], organization=actor.organization, seats=5
            )
            # Each license on up to three devices; each device holds several products.
            for device in devices[i - i % 3 : i - i % 3 + 1 + i % 2]:
                await attach_device(session, lic, device)
    return actor


async def test_nested_edges_cost_the_same_for_5_rows_as_for_50(
    live: LiveServer, services: Services
) -> None:
    actor = await _fleet(services, 60)
    for document in (LIST_WITH_DEVICES, DEVICES_WITH_LICENSES):
        small, small_body = await statements_for(live, actor, document, {"first": 5})
        large, large_body = await statements_for(live, actor, document, {"first": 50})
        assert len(next(iter(small_body["data"].values()))["edges"]) == 5
        assert len(next(iter(large_body["data"].values()))["edges"]) == 50
        assert small == large, (document, small, large)
    # The edges carry real data (the counts above are not of empty answers).
    body = await call(live, actor, DEVICES_WITH_LICENSES, {"first": 50})
    assert sum(len(e["node"]["licenses"]) for e in body["data"]["devices"]["edges"]) > 30
