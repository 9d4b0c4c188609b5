"""Finding 4: a partner's technicians may invite USERs into the customer, but what they set in
motion ends with the relationship — ending the mapping cancels their pending invitations and
(unless the customer's Super Admin keeps them) removes the members they added; unassigning a
technician cancels that technician's pending invitations. The customer sees who partner staff
added (``Member.addedByPartner``, ``Member.invitedBy``)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select

from db.models import Invitation, PartnerMapping, TechnicianAssignment
from domain.enums import InvitationStatus, OrganizationType, PartnerMappingStatus, Role
from kit.clock import utcnow
from runtime import Services
from tests.accounts.journeys import activate, outbox_mails
from tests.factories import Actor, add_member, create_actor, create_user, unique_email
from tests.members.support import (
    ACCEPT,
    INVITE,
    MEMBERS,
    MY_INVITATIONS,
    REMOVE,
    activation_link,
    role_of,
)
from tests.support.gql import call, codes, mutate, nodes
from tests.support.server import LiveServer
from tests.support.tokens import mint_access_token

END = """
mutation($input: PartnerMappingInput!, $remove: Boolean! = true) {
  endPartnerMapping(input: $input, removeMembersAddedByPartner: $remove) {
    partnerMapping { id status } userErrors { code }
  }
}
"""
UNASSIGN = """
mutation($input: TechnicianInput!) {
  unassignTechnician(input: $input) { partnerMapping { id status } userErrors { code } }
}
"""
MEMBERS_BY_PARTNER = """
query($org: ID) {
  members(organizationId: $org) {
    edges { node { role addedByPartner invitedBy { email } user { email } } }
  }
}
"""


@dataclass
class Partnership:
    customer: Actor  # the customer's Super Admin
    partner_admin: Actor
    technician: Actor
    other_technician: Actor
    mapping_id: uuid.UUID


async def _partnership(services: Services) -> Partnership:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partner_admin = await create_actor(
        services, role=Role.ADMIN, organization_type=OrganizationType.PARTNER
    )
    technicians = []
    async with services.db.unit_of_work() as session:
        mapping = PartnerMapping(
            partner_organization_id=partner_admin.organization.id,
            customer_organization_id=customer.organization.id,
            status=PartnerMappingStatus.ACTIVE,
            accepted_at=utcnow(),
        )
        session.add(mapping)
        await session.flush()
        for _ in range(2):
            user = await create_user(session)
            await add_member(session, user, partner_admin.organization, Role.USER)
            session.add(TechnicianAssignment(mapping_id=mapping.id, user_id=user.id))
            technicians.append(user)
        mapping_id = mapping.id
    actors = [
        Actor(
            user, customer.organization, Role.TECHNICIAN, await mint_access_token(services, user.id)
        )
        for user in technicians
    ]
    return Partnership(customer, partner_admin, actors[0], actors[1], mapping_id)


async def _invite(live: LiveServer, actor: Actor, email: str) -> str:
    payload = await mutate(live, actor, INVITE, email=email, role="USER")
    assert payload["userErrors"] == [], payload
    invitation_id: str = payload["invitation"]["id"]
    return invitation_id


async def _status(services: Services, invitation_id: str) -> InvitationStatus:
    async with services.db.read_session() as session:
        status = await session.scalar(
            select(Invitation.status).where(Invitation.id == uuid.UUID(invitation_id))
        )
    assert status is not None
    return status


async def _accepted_member(live: LiveServer, services: Services, by: Actor) -> Actor:
    """An existing account that ``by`` invites and that accepts."""
    someone = await create_actor(services, role=Role.USER)
    await _invite(live, by, someone.user.email)
    (offer,) = (await call(live, someone, MY_INVITATIONS))["data"]["myInvitations"]
    assert (await mutate(live, someone, ACCEPT, invitationId=offer["id"]))["userErrors"] == []
    return someone


async def _end(live: LiveServer, actor: Actor, mapping_id: uuid.UUID, **variables: Any) -> Any:
    body = await call(live, actor, END, {"input": {"mappingId": str(mapping_id)}, **variables})
    assert "errors" not in body, body
    return body["data"]["endPartnerMapping"]


async def test_ending_the_mapping_ends_what_technicians_started(
    live: LiveServer, services: Services
) -> None:
    p = await _partnership(services)
    org = p.customer.organization
    # The friend: a new email, invited by the technician (the reported attack).
    friend = unique_email("friend")
    friend_invitation = await _invite(live, p.technician, friend)
    # An existing account that accepted a technician's invitation, one that has not answered
    # yet, and a member the customer's own Super Admin invited.
    added = await _accepted_member(live, services, p.technician)
    waiting = await create_actor(services, role=Role.USER)
    waiting_invitation = await _invite(live, p.technician, waiting.user.email)
    own = await _accepted_member(live, services, p.customer)

    # The customer sees who the partner's staff added, and who invited them.
    listed = {
        m["user"]["email"]: m
        for m in nodes(await call(live, p.customer, MEMBERS_BY_PARTNER), "members")
    }
    assert listed[added.user.email]["addedByPartner"] is True
    assert listed[added.user.email]["invitedBy"]["email"] == p.technician.user.email
    assert listed[own.user.email]["addedByPartner"] is False
    assert listed[p.customer.user.email]["addedByPartner"] is False

    ended = await _end(live, p.customer, p.mapping_id)
    assert ended["userErrors"] == [] and ended["partnerMapping"]["status"] == "ENDED"
    # Pending invitations of partner staff are cancelled: the friend cannot activate into it.
    assert await _status(services, friend_invitation) is InvitationStatus.CANCELLED
    assert await _status(services, waiting_invitation) is InvitationStatus.CANCELLED
    (mail,) = [m for m in await outbox_mails(live, friend) if m.template == "invitation"]
    assert codes(await activate(live, *activation_link(mail.text))) == ["INVITATION_EXPIRED"]
    assert (await call(live, waiting, MY_INVITATIONS))["data"]["myInvitations"] == []
    # The member partner staff added is gone (by default); the customer's own stay.
    assert await role_of(services, added, org) is None
    assert await role_of(services, own, org) is Role.USER
    assert await role_of(services, p.customer, org) is Role.SUPER_ADMIN
    body = await call(live, added, MEMBERS, {"org": str(org.id)})
    assert body.get("errors"), body


async def test_the_customer_may_keep_the_members_the_partner_cannot(
    live: LiveServer, services: Services
) -> None:
    kept = await _partnership(services)
    member = await _accepted_member(live, services, kept.technician)
    pending = await _invite(live, kept.technician, unique_email("pending"))
    ended = await _end(live, kept.customer, kept.mapping_id, remove=False)
    assert ended["userErrors"] == []
    assert await role_of(services, member, kept.customer.organization) is Role.USER
    assert await _status(services, pending) is InvitationStatus.CANCELLED
    (row,) = [
        m
        for m in nodes(await call(live, kept.customer, MEMBERS_BY_PARTNER), "members")
        if m["user"]["email"] == member.user.email
    ]
    assert row["addedByPartner"] is True

    # The partner ending it cannot keep its people inside the customer.
    other = await _partnership(services)
    member = await _accepted_member(live, services, other.technician)
    ended = await _end(live, other.partner_admin, other.mapping_id, remove=False)
    assert ended["userErrors"] == []
    assert await role_of(services, member, other.customer.organization) is None


async def test_unassigning_a_technician_cancels_their_pending_invitations(
    live: LiveServer, services: Services
) -> None:
    p = await _partnership(services)
    theirs = await _invite(live, p.technician, unique_email("theirs"))
    colleagues = await _invite(live, p.other_technician, unique_email("colleague"))
    customers = await _invite(live, p.customer, unique_email("customer"))
    member = await _accepted_member(live, services, p.technician)

    payload = await mutate(
        live,
        p.partner_admin,
        UNASSIGN,
        customerId=str(p.customer.organization.id),
        userId=str(p.technician.user.id),
    )
    assert payload["userErrors"] == [], payload
    assert await _status(services, theirs) is InvitationStatus.CANCELLED
    assert await _status(services, colleagues) is InvitationStatus.PENDING
    assert await _status(services, customers) is InvitationStatus.PENDING
    # The members they added stay, marked for the customer to decide about.
    assert await role_of(services, member, p.customer.organization) is Role.USER

    # A technician who leaves the partner (here: removed by its admin) takes their pending
    # invitations along.
    payload = await mutate(
        live,
        p.partner_admin,
        REMOVE,
        organizationId=str(p.partner_admin.organization.id),
        userId=str(p.other_technician.user.id),
    )
    assert payload["userErrors"] == [], payload
    assert await _status(services, colleagues) is InvitationStatus.CANCELLED
    assert await _status(services, customers) is InvitationStatus.PENDING
