"""The first person to join an organization without a Super Admin becomes it — also when several
join at once."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

from sqlalchemy import select

from db.models import Membership, Organization
from domain.enums import OrganizationStatus, Role
from runtime import Services
from tests.factories import create_actor
from tests.members.support import ACCEPT, INVITE, MY_INVITATIONS
from tests.partners.support import CREATE_MANAGED, create_partner, managed_form
from tests.support.gql import call, mutate, payload_of
from tests.support.server import LiveServer


async def test_concurrent_joins_into_a_customer_without_super_admin_all_succeed(
    live: LiveServer, services: Services
) -> None:
    """Outside test, on PostgreSQL: three concurrent joins of existing accounts into a
    partner-made customer deadlocked (two 500s): each held the organization FOR SHARE and waited
    for the first one's Super Admin row, while the first waited for their share locks to
    activate the organization. Now the first join holds the organization exclusively from the
    start and the others queue behind it. (Invitations are offers now: the joins are the three
    invitees accepting at once.)"""
    partner, _ = await create_partner(services, role=Role.ADMIN)
    created = payload_of(
        await live.graphql(CREATE_MANAGED, {"input": managed_form()}, headers=partner.headers)
    )
    customer_id = uuid.UUID(created["customer"]["id"])
    as_technician = {**partner.headers, "X-Organization-Id": str(customer_id)}
    people = [await create_actor(services) for _ in range(3)]

    async def invite(email: str) -> tuple[int, Any]:
        response = await live.client.post(
            "/graphql",
            json={"query": INVITE, "variables": {"input": {"email": email, "role": "USER"}}},
            headers=as_technician,
        )
        return response.status_code, response.json()

    for status, body in [await invite(p.user.email) for p in people]:
        assert status == 200 and "errors" not in body, body
        assert body["data"]["inviteMember"]["userErrors"] == [], body
    offers = [(await call(live, p, MY_INVITATIONS))["data"]["myInvitations"] for p in people]

    accepted = await asyncio.gather(
        *(
            mutate(live, p, ACCEPT, invitationId=offer["id"])
            for p, (offer,) in zip(people, offers, strict=True)
        )
    )
    assert all(answer["userErrors"] == [] for answer in accepted), accepted

    async with services.db.read_session() as session:
        roles = (
            await session.scalars(
                select(Membership.role).where(Membership.organization_id == customer_id)
            )
        ).all()
        organization = await session.get(Organization, customer_id)
    assert sorted(r.value for r in roles) == ["SUPER_ADMIN", "USER", "USER"]
    assert organization is not None and organization.status is OrganizationStatus.ACTIVE
