"""Everyone who might call an organization's API: its own roles, a technician of its partner, an
internal admin, and a stranger from another tenant."""

from __future__ import annotations

from dataclasses import dataclass

from db.models import Organization, PartnerMapping, TechnicianAssignment
from domain.enums import OrganizationType, PartnerMappingStatus, Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import Actor, add_member, create_actor, create_user
from tests.support.tokens import mint_access_token


async def create_technician(services: Services, customer: Organization) -> Actor:
    """A partner's staff member assigned to ``customer`` through an active mapping (written to
    the database directly: the partner journeys are not the subject of these tests)."""
    partner_admin = await create_actor(
        services, role=Role.ADMIN, organization_type=OrganizationType.PARTNER
    )
    async with services.db.unit_of_work() as session:
        user = await create_user(session)
        await add_member(session, user, partner_admin.organization, Role.USER)
        mapping = PartnerMapping(
            partner_organization_id=partner_admin.organization.id,
            customer_organization_id=customer.id,
            status=PartnerMappingStatus.ACTIVE,
            accepted_at=utcnow(),
        )
        session.add(mapping)
        await session.flush()
        session.add(TechnicianAssignment(mapping_id=mapping.id, user_id=user.id))
    token = await mint_access_token(services, user.id)
    return Actor(user=user, organization=customer, role=Role.TECHNICIAN, token=token)


@dataclass
class Cast:
    """One customer organization and everyone around it."""

    super_admin: Actor
    admin: Actor
    user: Actor
    technician: Actor
    internal_admin: Actor
    stranger: Actor  # Super Admin of another customer organization

    @property
    def organization(self) -> Organization:
        return self.super_admin.organization

    @property
    def managers(self) -> list[Actor]:
        """Who may manage locations and devices here (PRODUCT.md §2)."""
        return [self.super_admin, self.admin, self.technician]


async def create_cast(services: Services) -> Cast:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    org = owner.organization
    # The internal admin works in the vendor's organization: it names the customer with
    # `organizationId` (or reaches its objects by id).
    internal = await create_actor(services, role=Role.INTERNAL_ADMIN)
    return Cast(
        super_admin=owner,
        admin=await create_actor(services, role=Role.ADMIN, organization=org),
        user=await create_actor(services, role=Role.USER, organization=org),
        technician=await create_technician(services, org),
        internal_admin=internal,
        stranger=await create_actor(services, role=Role.SUPER_ADMIN),
    )
