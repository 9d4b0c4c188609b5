"""A mapping's technicians are the assigned people still on its partner's staff — judged by each
assignment's own mapping, with several partners and assignments in the database (the filter once
read an arbitrary mapping's partner on SQLite, and failed on PostgreSQL)."""

from __future__ import annotations

from sqlalchemy import delete

from db.models import Membership
from domain.partners import repository as repo
from kit.pagination import PageRequest
from runtime import Services
from tests.factories import create_actor
from tests.partners.support import add_staff, create_partner, map_directly


async def test_technicians_of_each_mapping_are_its_partners_staff(services: Services) -> None:
    mappings, technicians = [], []
    for _ in range(3):
        partner, _code = await create_partner(services)
        customer = await create_actor(services)
        technician = await add_staff(services, partner)
        mappings.append(
            await map_directly(
                services,
                partner.organization,
                customer.organization,
                technicians=(technician.user.id,),
            )
        )
        technicians.append(technician)
    page = PageRequest(first=10, after=None)
    async with services.db.read_session() as session:
        assert await repo.technician_counts(session, mappings) == dict.fromkeys(mappings, 1)
        pages = await repo.technicians_by_mapping(session, [(m, page) for m in mappings])
    assert [[a.user_id for a in p] for p in pages] == [[t.user.id] for t in technicians]

    # The second technician leaves their partner: only their mapping loses them.
    async with services.db.unit_of_work() as session:
        await session.execute(
            delete(Membership).where(Membership.user_id == technicians[1].user.id)
        )
    async with services.db.read_session() as session:
        assert await repo.technician_counts(session, mappings) == {
            mappings[0]: 1,
            mappings[2]: 1,
        }
        pages = await repo.technicians_by_mapping(session, [(m, page) for m in mappings])
    assert [len(p) for p in pages] == [1, 0, 1]
