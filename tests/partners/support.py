"""What the partner-customer mapping tests share: documents, partners with STEP codes, mappings."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import select

from db.models import Organization, PartnerMapping, StepPartnerCode, TechnicianAssignment
from domain.enums import OrganizationStatus, OrganizationType, PartnerMappingStatus, Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import (
    Actor,
    add_member,
    create_actor,
    create_organization,
    create_step_code,
    create_user,
)
from tests.support.gql import USER_ERRORS
from tests.support.tokens import mint_access_token

MAPPING = """
  id status invitedAt since endedAt partnerName
  partner { id name type } customer { id name type }
  technicians(first: 10) {
    edges { cursor node { id role roleLabel assignedAt user { id email } } }
    pageInfo { hasNextPage }
  }
"""
INVITE_PARTNER = f"""
mutation($input: InvitePartnerInput!) {{
  invitePartner(input: $input) {{ partnerMapping {{ {MAPPING} }} {USER_ERRORS} }}
}}
"""
ACCEPT = f"""
mutation($input: PartnerMappingInput!) {{
  acceptPartnerInvitation(input: $input) {{ partnerMapping {{ {MAPPING} }} {USER_ERRORS} }}
}}
"""
DECLINE = f"""
mutation($input: PartnerMappingInput!) {{
  declinePartnerInvitation(input: $input) {{ partnerMapping {{ {MAPPING} }} {USER_ERRORS} }}
}}
"""
END = f"""
mutation($input: PartnerMappingInput!) {{
  endPartnerMapping(input: $input) {{ partnerMapping {{ {MAPPING} }} {USER_ERRORS} }}
}}
"""
ASSIGN = f"""
mutation($input: TechnicianInput!) {{
  assignTechnician(input: $input) {{
    technician {{ id role roleLabel user {{ email }} }}
    partnerMapping {{ id status }}
    {USER_ERRORS}
  }}
}}
"""
UNASSIGN = f"""
mutation($input: TechnicianInput!) {{
  unassignTechnician(input: $input) {{ partnerMapping {{ id status }} {USER_ERRORS} }}
}}
"""
SUPPORT_PARTNER = f"""
query($organizationId: ID) {{ supportPartner(organizationId: $organizationId) {{ {MAPPING} }} }}
"""
INVITATIONS = """
query($organizationId: ID, $first: Int, $after: String) {
  partnerInvitations(organizationId: $organizationId, first: $first, after: $after) {
    edges { cursor node { id status customer { id name } partner { id } } }
    pageInfo { hasNextPage endCursor }
  }
}
"""
CREATE_MANAGED = f"""
mutation($input: CreateManagedCustomerInput!) {{
  createManagedCustomer(input: $input) {{
    customer {{
      id name country mappedAt mappingId locationCount
      organization {{ id type status name }}
      technicians {{ edges {{ node {{ id user {{ email }} }} }} }}
    }}
    {USER_ERRORS}
  }}
}}
"""
VIEWER_ORGANIZATIONS = "{ viewer { organizations { id type } } }"


def managed_form(**overrides: Any) -> dict[str, Any]:
    form: dict[str, Any] = {
        "organizationName": f"Harbor Logistics {uuid.uuid4().hex[:6]}",
        "country": "DE",
        "address": "Kaiserkai 1, Hamburg",
        "phone": "+49 40 123456",
        "acceptTermsOfService": True,
        "acceptPrivacyPolicy": True,
    }
    form.update(overrides)
    return form


async def create_partner(
    services: Services,
    *,
    role: Role = Role.SUPER_ADMIN,
    status: OrganizationStatus = OrganizationStatus.ACTIVE,
    code_revoked: bool = False,
    with_password: bool = False,
) -> tuple[Actor, str]:
    """A partner organization made from its own STEP code, and a member of it with ``role``."""
    code = await create_step_code(services, revoked=code_revoked)
    actor = await create_actor(
        services,
        role=role,
        organization_type=OrganizationType.PARTNER,
        with_password=with_password,
    )
    async with services.db.unit_of_work() as session:
        org = await session.get(Organization, actor.organization.id)
        assert org is not None
        code_id = await session.scalar(
            select(StepPartnerCode.id).where(StepPartnerCode.code == code)
        )
        org.step_code_id = code_id
        org.status = status
    return actor, code


async def add_staff(services: Services, partner: Actor, role: Role = Role.USER) -> Actor:
    """Another member of the partner's staff (not yet assigned anywhere)."""
    async with services.db.unit_of_work() as session:
        user = await create_user(session)
        await add_member(session, user, partner.organization, role)
    token = await mint_access_token(services, user.id)
    return Actor(user=user, organization=partner.organization, role=role, token=token)


async def map_directly(
    services: Services,
    partner: Organization,
    customer: Organization,
    *,
    status: PartnerMappingStatus = PartnerMappingStatus.ACTIVE,
    technicians: tuple[uuid.UUID, ...] = (),
) -> uuid.UUID:
    """A mapping written straight to the database (for tests whose subject is elsewhere)."""
    async with services.db.unit_of_work() as session:
        mapping = PartnerMapping(
            partner_organization_id=partner.id,
            customer_organization_id=customer.id,
            status=status,
            accepted_at=utcnow() if status is PartnerMappingStatus.ACTIVE else None,
        )
        session.add(mapping)
        await session.flush()
        for user_id in technicians:
            session.add(TechnicianAssignment(mapping_id=mapping.id, user_id=user_id))
    return mapping.id


async def map_new_customer(
    services: Services,
    partner: Actor,
    name: str,
    *,
    status: PartnerMappingStatus = PartnerMappingStatus.ACTIVE,
) -> Organization:
    """A new customer organization called ``name``, mapped to the partner straight in the
    database."""
    async with services.db.unit_of_work() as session:
        customer = await create_organization(session, type=OrganizationType.CUSTOMER, name=name)
    await map_directly(services, partner.organization, customer, status=status)
    return customer
