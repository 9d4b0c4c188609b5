"""The fixture world of the authorization walk: one customer organization and everyone who might
call its API (PRODUCT.md §2), and builders of fresh objects for calls that consume what they touch.

Callers:

* the customer's Super Admin, Admin and User;
* the Super Admin, Admin and User of its support partner (mapped, ACTIVE), an unassigned member of
  the partner's staff, and a member of the partner's staff assigned to the customer (technician);
* an internal admin, an anonymous caller, and a stranger (the Super Admin of another customer);
* two service accounts of the customer (ADMIN and USER), holding the tokens the token endpoint
  issues them (client credentials): their role, in that organization only.

Everything that is not the subject of the walk is written straight to the database
(tests/factories.py); what the portal itself must build (locations, areas, devices, invitations)
goes through GraphQL as the customer's Super Admin.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import timedelta
from enum import StrEnum
from typing import Any

from sqlalchemy import select

from db.models import (
    Device,
    Organization,
    PartnerMapping,
    PartnerRequest,
    ServiceAccount,
    StepPartnerCode,
    TechnicianAssignment,
    User,
)
from domain.enums import (
    OrganizationStatus,
    OrganizationType,
    PartnerMappingStatus,
    PartnerRequestStatus,
    Role,
)
from domain.service_accounts.scopes import granted_scope
from identity.access_tokens import ACCESS_TOKEN_TYP, build_service_account_claims
from kit.clock import utcnow
from runtime import Services
from tests.factories import (
    Actor,
    add_member,
    attach_device,
    create_actor,
    create_device,
    create_license,
    create_organization,
    create_step_code,
    create_user,
    unique_email,
)
from tests.partners.support import add_staff, create_partner, map_directly
from tests.support.server import LiveServer


class Caller(StrEnum):
    CUSTOMER_SUPER_ADMIN = "customer SUPER_ADMIN"
    CUSTOMER_ADMIN = "customer ADMIN"
    CUSTOMER_USER = "customer USER"
    PARTNER_SUPER_ADMIN = "partner SUPER_ADMIN"
    PARTNER_ADMIN = "partner ADMIN"
    PARTNER_USER = "partner USER"
    TECHNICIAN = "partner TECHNICIAN assigned to the customer"
    PARTNER_STAFF = "partner staff, unassigned"
    INTERNAL_ADMIN = "INTERNAL_ADMIN"
    ANONYMOUS = "anonymous"
    STRANGER = "stranger (another customer's SUPER_ADMIN)"
    SERVICE_ADMIN = "customer ADMIN service account"
    SERVICE_USER = "customer USER service account"


CS = Caller.CUSTOMER_SUPER_ADMIN
CA = Caller.CUSTOMER_ADMIN
CU = Caller.CUSTOMER_USER
PS = Caller.PARTNER_SUPER_ADMIN
PA = Caller.PARTNER_ADMIN
PU = Caller.PARTNER_USER
TECH = Caller.TECHNICIAN
STAFF = Caller.PARTNER_STAFF
IA = Caller.INTERNAL_ADMIN
ANON = Caller.ANONYMOUS
STRANGER = Caller.STRANGER
SVC_A = Caller.SERVICE_ADMIN
SVC_U = Caller.SERVICE_USER
SERVICE_ACCOUNTS = frozenset({SVC_A, SVC_U})

_CREATE_LOCATION = """
mutation($input: CreateLocationInput!) {
  createLocation(input: $input) { location { id } userErrors { code } }
}
"""
_CREATE_AREA = """
mutation($input: CreateAreaInput!) { createArea(input: $input) { area { id } userErrors { code } } }
"""
_INVITE = """
mutation($input: InviteMemberInput!) {
  inviteMember(input: $input) { invitation { id } userErrors { code } }
}
"""
_CREATE_SERVICE_ACCOUNT = """
mutation($input: CreateServiceAccountInput!) {
  createServiceAccount(input: $input) { serviceAccount { id } userErrors { code } }
}
"""
_DEFAULTS = """
query($org: ID) {
  locations(organizationId: $org, first: 10) {
    edges { node { id isDefault areas(first: 10) { edges { node { id isDefault } } } } }
  }
}
"""


@dataclass
class Mirror:
    """A fresh customer organization in which the customer's people hold the same roles (and,
    with an ACTIVE mapping, the same technician): for calls that would spend the world's own."""

    organization_id: str
    name: str
    mapping_id: str | None


@dataclass
class World:
    services: Services
    live: LiveServer
    actors: dict[Caller, Actor]
    customer: Organization
    partner: Organization
    partner_code: str
    mapping_id: str
    default_location_id: str
    default_area_id: str
    location_id: str  # a second location, holding `area_id`
    area_id: str
    device_id: str  # in the default area
    license_id: str  # redeemed by the customer, attached to nothing
    invitation_id: str  # a pending USER invitation
    # What each id the world handed out names ("device", "organization", …), and an object of
    # each kind that belongs to another tenant: for mixing one into an allowed call.
    kinds: dict[str, str] = field(default_factory=dict)
    foreign: dict[str, str] = field(default_factory=dict)
    _counter: list[int] = field(default_factory=lambda: [0])

    # --- ids ---------------------------------------------------------------------------------

    @property
    def customer_id(self) -> str:
        return str(self.customer.id)

    @property
    def partner_id(self) -> str:
        return str(self.partner.id)

    def user_id(self, caller: Caller) -> str:
        return str(self.actors[caller].user.id)

    def unique(self, prefix: str) -> str:
        self._counter[0] += 1
        return f"{prefix} {self._counter[0]} {uuid.uuid4().hex[:6]}"

    # --- calls -------------------------------------------------------------------------------

    def headers(self, caller: Caller) -> dict[str, str] | None:
        actor = self.actors.get(caller)
        return actor.headers if actor else None

    async def call(
        self, caller: Caller, document: str, variables: dict[str, Any]
    ) -> dict[str, Any]:
        return await self.live.graphql(document, variables, headers=self.headers(caller))

    def named(self, object_id: str, kind: str) -> str:
        self.kinds[object_id] = kind
        return object_id

    def _organization_of(self, owner: Caller) -> Organization:
        return self.actors[owner].organization

    async def _created(
        self, document: str, variables: dict[str, Any], kind: str, owner: Caller
    ) -> str:
        body = await self.call(owner, document, variables)
        assert "errors" not in body, body
        (payload,) = body["data"].values()
        assert payload["userErrors"] == [], payload
        return self.named(payload[kind]["id"], kind)

    # --- fresh objects of the customer -------------------------------------------------------

    # ``owner``: the customer's Super Admin (the default), or the stranger for the other tenant.

    async def fresh_location(self, owner: Caller = CS) -> str:
        return await self._created(
            _CREATE_LOCATION,
            {
                "input": {
                    "organizationId": str(self._organization_of(owner).id),
                    "name": self.unique("Site"),
                    "timeZone": "Europe/Berlin",
                }
            },
            "location",
            owner,
        )

    async def fresh_area(self, location_id: str | None = None, owner: Caller = CS) -> str:
        return await self._created(
            _CREATE_AREA,
            {"input": {"locationId": location_id or self.location_id, "name": self.unique("Area")}},
            "area",
            owner,
        )

    async def fresh_invitation(self, role: Role = Role.USER, owner: Caller = CS) -> str:
        return await self._created(
            _INVITE,
            {
                "input": {
                    "organizationId": str(self._organization_of(owner).id),
                    "email": unique_email("invitee"),
                    "role": role.value,
                }
            },
            "invitation",
            owner,
        )

    async def fresh_service_account(self, owner: Caller = CS) -> str:
        return await self._created(
            _CREATE_SERVICE_ACCOUNT,
            {
                "input": {
                    "organizationId": str(self._organization_of(owner).id),
                    "name": self.unique("Robot"),
                    "role": "USER",
                }
            },
            "serviceAccount",
            owner,
        )

    async def fresh_device(self, owner: Caller = CS) -> str:
        async with self.services.db.unit_of_work() as session:
            device = await create_device(session, self._organization_of(owner))
        return self.named(str(device.id), "device")

    async def fresh_license(self, *, attached_to: str | None = None, owner: Caller = CS) -> str:
        organization = self._organization_of(owner)
        async with self.services.db.unit_of_work() as session:
            license, _ = await create_license(session, organization=organization, seats=1)
            if attached_to is not None:
                device = await session.get(Device, uuid.UUID(attached_to))
                assert device is not None
                await attach_device(session, license, device)
                license.activated_at = utcnow()
                license.expires_at = utcnow() + timedelta(days=license.term_days)
        return self.named(str(license.id), "license")

    async def fresh_license_key(self) -> str:
        """An issued key that no organization has redeemed yet."""
        async with self.services.db.unit_of_work() as session:
            _, key = await create_license(session)
        return key

    async def fresh_member(self, role: Role = Role.USER) -> str:
        async with self.services.db.unit_of_work() as session:
            user = await create_user(session)
            await add_member(session, user, self.customer, role)
        return self.named(str(user.id), "user")

    # --- fresh things around the customer ----------------------------------------------------

    async def fresh_staff(self, *, assigned: bool) -> str:
        """A new member of the partner's staff, assigned to the customer or not."""
        async with self.services.db.unit_of_work() as session:
            user = await create_user(session)
            await add_member(session, user, self.partner, Role.USER)
            if assigned:
                session.add(
                    TechnicianAssignment(mapping_id=uuid.UUID(self.mapping_id), user_id=user.id)
                )
        return self.named(str(user.id), "user")

    async def mirror(
        self,
        *,
        mapping: PartnerMappingStatus | None = PartnerMappingStatus.ACTIVE,
        members: tuple[Caller, ...] = (CS, CA, CU),
    ) -> Mirror:
        """A new customer organization where ``members`` hold the roles they hold in the world's
        customer, supported by the world's partner (``mapping``) with the same technician."""
        roles = {CS: Role.SUPER_ADMIN, CA: Role.ADMIN, CU: Role.USER}
        async with self.services.db.unit_of_work() as session:
            org = await create_organization(session, name=self.unique("Mirror"))
            for caller in members:
                await add_member(session, self.actors[caller].user, org, roles[caller])
            mapping_id = None
            if mapping is not None:
                row = PartnerMapping(
                    partner_organization_id=self.partner.id,
                    customer_organization_id=org.id,
                    status=mapping,
                    accepted_at=utcnow() if mapping is PartnerMappingStatus.ACTIVE else None,
                )
                session.add(row)
                await session.flush()
                mapping_id = str(row.id)
                if mapping is PartnerMappingStatus.ACTIVE:
                    session.add(
                        TechnicianAssignment(mapping_id=row.id, user_id=self.actors[TECH].user.id)
                    )
        if mapping_id is not None:
            self.named(mapping_id, "mapping")
        return Mirror(self.named(str(org.id), "organization"), org.name, mapping_id)

    async def fresh_organization(self, status: OrganizationStatus) -> str:
        """A customer organization nobody of the world belongs to (for the platform's calls)."""
        async with self.services.db.unit_of_work() as session:
            org = await create_organization(session, name=self.unique("Tenant"))
            if status is OrganizationStatus.SUSPENDED:
                org.status = status
                org.suspended_reason = "Unpaid invoices."
        return str(org.id)

    async def fresh_step_code(self) -> str:
        """The id of an unused STEP partner code."""
        code = await create_step_code(self.services)
        async with self.services.db.read_session() as session:
            code_id = await session.scalar(
                select(StepPartnerCode.id).where(StepPartnerCode.code == code)
            )
        return str(code_id)

    async def fresh_partner_request(self) -> str:
        code = await create_step_code(self.services)
        async with self.services.db.unit_of_work() as session:
            code_id = await session.scalar(
                select(StepPartnerCode.id).where(StepPartnerCode.code == code)
            )
            assert code_id is not None
            request = PartnerRequest(
                step_code_id=code_id,
                step_partner_code=code,
                company_name=self.unique("Installer"),
                country="DE",
                first_name="Pat",
                last_name="Partner",
                contact_email=unique_email("partner"),
                status=PartnerRequestStatus.PENDING,
            )
            session.add(request)
        return str(request.id)


async def build_world(services: Services, live: LiveServer) -> World:
    customer_owner = await create_actor(services, role=Role.SUPER_ADMIN)
    customer = customer_owner.organization
    partner_owner, code = await create_partner(services)
    technician = await add_staff(services, partner_owner, Role.USER)
    mapping_id = await map_directly(
        services, partner_owner.organization, customer, technicians=(technician.user.id,)
    )
    actors: dict[Caller, Actor] = {
        CS: customer_owner,
        CA: await create_actor(services, role=Role.ADMIN, organization=customer),
        CU: await create_actor(services, role=Role.USER, organization=customer),
        PS: partner_owner,
        PA: await add_staff(services, partner_owner, Role.ADMIN),
        PU: await add_staff(services, partner_owner, Role.USER),
        # Works in the customer: its requests name the customer as the working organization.
        TECH: Actor(technician.user, customer, Role.TECHNICIAN, technician.token),
        STAFF: await add_staff(services, partner_owner, Role.USER),
        IA: await create_actor(services, role=Role.INTERNAL_ADMIN),
        STRANGER: await create_actor(services, role=Role.SUPER_ADMIN),
    }
    assert partner_owner.organization.type is OrganizationType.PARTNER
    world = World(
        services=services,
        live=live,
        actors=actors,
        customer=customer,
        partner=partner_owner.organization,
        partner_code=code,
        mapping_id=str(mapping_id),
        default_location_id="",
        default_area_id="",
        location_id="",
        area_id="",
        device_id="",
        license_id="",
        invitation_id="",
    )
    body = await world.call(CS, _DEFAULTS, {"org": world.customer_id})
    (location,) = [e["node"] for e in body["data"]["locations"]["edges"]]
    (area,) = [e["node"] for e in location["areas"]["edges"]]
    world.default_location_id, world.default_area_id = location["id"], area["id"]
    world.location_id = await world.fresh_location()
    world.area_id = await world.fresh_area(world.location_id)
    world.device_id = await world.fresh_device()
    world.license_id = await world.fresh_license()
    world.invitation_id = await world.fresh_invitation()
    world.named(world.customer_id, "organization")
    world.named(world.partner_id, "partner")
    world.named(world.mapping_id, "mapping")
    world.named(world.default_location_id, "location")
    world.named(world.default_area_id, "area")
    for actor in actors.values():
        world.named(str(actor.user.id), "user")
    for caller, role in ((SVC_A, Role.ADMIN), (SVC_U, Role.USER)):
        actors[caller] = await _service_account_actor(world, role)
        world.named(str(actors[caller].user.id), "user")
    await _add_foreign_objects(world)
    return world


async def _service_account_actor(world: World, role: Role) -> Actor:
    """A service account of the customer, made over GraphQL by its Super Admin, with the token
    the token endpoint would issue it (signed here with a longer life: the walk takes minutes;
    tests/service_accounts/ obtain theirs over HTTP)."""
    account_id = uuid.UUID(
        await world._created(
            _CREATE_SERVICE_ACCOUNT,
            {"input": {"name": world.unique(f"{role.value} robot"), "role": role.value}},
            "serviceAccount",
            CS,
        )
    )
    async with world.services.db.read_session() as session:
        account = await session.get(ServiceAccount, account_id)
        assert account is not None
        user = await session.get(User, account.user_id)
        assert user is not None
    settings = world.services.settings
    claims = build_service_account_claims(
        issuer=settings.issuer,
        audience=settings.api_audience,
        ttl_seconds=3600,
        service_account_id=account.id,
        client_id=account.client_id,
        scope=granted_scope(role, None),
        secret_version=account.secret_version,
        organization_id=account.organization_id,
    )
    token = await world.services.keys.sign(claims, typ=ACCESS_TOKEN_TYP)
    return Actor(user, world.customer, role, token)


async def _add_foreign_objects(world: World) -> None:
    """One object of every kind in the stranger's organization (and a partner of its own)."""
    services = world.services
    stranger = world.actors[STRANGER]
    other_partner, _ = await create_partner(services)
    location = await world.fresh_location(owner=STRANGER)
    world.foreign = {
        "organization": str(stranger.organization.id),
        "partner": str(other_partner.organization.id),
        "location": location,
        "area": await world.fresh_area(location, owner=STRANGER),
        "device": await world.fresh_device(owner=STRANGER),
        "license": await world.fresh_license(owner=STRANGER),
        "invitation": await world.fresh_invitation(owner=STRANGER),
        "serviceAccount": await world.fresh_service_account(owner=STRANGER),
        "user": str(stranger.user.id),
        "mapping": str(
            await map_directly(
                services,
                other_partner.organization,
                stranger.organization,
                status=PartnerMappingStatus.INVITED,
            )
        ),
    }
