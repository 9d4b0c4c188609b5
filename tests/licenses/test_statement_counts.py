"""The license list costs the same number of SQL statements for 5 rows as for 50."""

from __future__ import annotations

from runtime import Services
from tests.factories import attach_device, create_actor, create_device, create_license
from tests.licenses.support import LICENSES, SUMMARY, statements_for
from tests.support.server import LiveServer

PRODUCTS = ("HEALTHPRO", "SIGHTMIND", "PLATESENSE")


async def test_the_license_list_is_constant_in_the_page_size(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services)
    async with services.db.unit_of_work() as session:
        for i in range(60):
            lic, _ = await create_license(
                session, product_key=PRODUCTS[i % 3], organization=actor.organization, seats=2
            )
            if i % 2:
                await attach_device(session, lic, await create_device(session, actor.organization))
    small, small_body = await statements_for(live, actor, LICENSES, {"first": 5})
    large, large_body = await statements_for(live, actor, LICENSES, {"first": 50})
    assert len(small_body["data"]["licenses"]["edges"]) == 5
    assert len(large_body["data"]["licenses"]["edges"]) == 50
    assert small == large, (small, large)

    # And the summary is one aggregate, whatever the number of licenses.
    summary, body = await statements_for(live, actor, SUMMARY, {})
    assert body["data"]["licenseSummary"]["total"] == 60
    async with services.db.unit_of_work() as session:
        for _ in range(20):
            await create_license(session, organization=actor.organization)
    assert (await statements_for(live, actor, SUMMARY, {}))[0] == summary
