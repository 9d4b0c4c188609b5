"""Random worlds for the tenant-isolation properties: a few customer and partner organizations,
people with roles in them, partner mappings in every state, technician assignments (also of people
who are not on the partner's staff), devices, licenses and audit events — and, from the spec
alone, which organizations each person has a path to (PRODUCT.md §2).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field

from hypothesis import strategies as st
from sqlalchemy import select

from db.models import AuditEvent, Location, Organization, PartnerMapping, TechnicianAssignment
from domain.enums import OrganizationStatus, OrganizationType, PartnerMappingStatus, Role
from kit.clock import utcnow
from runtime import Services
from tests.factories import (
    add_member,
    create_device,
    create_license,
    create_organization,
    create_user,
)
from tests.support.tokens import mint_access_token

CUSTOMER_ROLES = (Role.SUPER_ADMIN, Role.ADMIN, Role.USER)
PARTNER_ROLES = (Role.SUPER_ADMIN, Role.ADMIN, Role.USER)


@dataclass(frozen=True)
class Person:
    # Customer organizations (by index) and the role in each; a partner's staff belong to no
    # customer (domain.members.eligibility), so a person has one or the other.
    customers: tuple[tuple[int, Role], ...] = ()
    partner: tuple[int, Role] | None = None
    internal_admin: bool = False


@dataclass(frozen=True)
class Spec:
    customers: int
    partners: int
    people: tuple[Person, ...]
    # customer -> (partner, status); at most one mapping per customer
    mappings: tuple[tuple[int, int, PartnerMappingStatus], ...]
    # (person, customer): assigned through that customer's mapping, whoever the person is
    assignments: frozenset[tuple[int, int]]
    devices: tuple[int, ...]  # per customer
    licenses: tuple[int, ...]  # per customer
    events: tuple[int, ...]  # audit events per customer
    # Organizations an internal admin suspended: their members reach nothing there, and a
    # suspended partner's technicians lose their customers.
    suspended: frozenset[tuple[str, int]] = frozenset()

    def reach(self, person: int) -> dict[tuple[str, int], Role]:
        """The organizations the person has a path to: ("customer"|"partner", index) -> role."""
        p = self.people[person]
        reach: dict[tuple[str, int], Role] = {("customer", c): r for c, r in p.customers}
        if p.partner is not None:
            partner, role = p.partner
            reach[("partner", partner)] = role
            for customer, mapped_to, status in self.mappings:
                if (
                    mapped_to == partner
                    and status is PartnerMappingStatus.ACTIVE
                    and (person, customer) in self.assignments
                    and ("partner", partner) not in self.suspended
                ):
                    reach.setdefault(("customer", customer), Role.TECHNICIAN)
        return {key: role for key, role in reach.items() if key not in self.suspended}

    def members(self, kind: str, index: int) -> set[int]:
        if kind == "partner":
            return {i for i, p in enumerate(self.people) if p.partner and p.partner[0] == index}
        return {i for i, p in enumerate(self.people) if any(c == index for c, _ in p.customers)}

    def mapped_customers(self, partner: int) -> set[int]:
        return {
            c
            for c, p, status in self.mappings
            if p == partner and status is PartnerMappingStatus.ACTIVE
        }


@st.composite
def specs(draw: st.DrawFn) -> Spec:
    customers = draw(st.integers(1, 3))
    partners = draw(st.integers(1, 2))
    people: list[Person] = []
    super_admins: set[tuple[str, int]] = set()
    for _ in range(draw(st.integers(1, 5))):
        if draw(st.booleans()):
            partner = draw(st.integers(0, partners - 1))
            role = draw(st.sampled_from(PARTNER_ROLES))
            if role is Role.SUPER_ADMIN:
                if ("partner", partner) in super_admins:  # exactly one per organization
                    role = Role.ADMIN
                super_admins.add(("partner", partner))
            people.append(Person(partner=(partner, role)))
            continue
        chosen = draw(st.sets(st.integers(0, customers - 1), min_size=1, max_size=customers))
        roles = []
        for c in sorted(chosen):
            role = draw(st.sampled_from(CUSTOMER_ROLES))
            if role is Role.SUPER_ADMIN:
                if ("customer", c) in super_admins:
                    role = Role.ADMIN
                super_admins.add(("customer", c))
            roles.append((c, role))
        people.append(Person(customers=tuple(roles)))
    if draw(st.booleans()):
        people.append(Person(internal_admin=True))
    mappings = []
    for c in range(customers):
        if draw(st.booleans()):
            status = draw(st.sampled_from(list(PartnerMappingStatus)))
            mappings.append((c, draw(st.integers(0, partners - 1)), status))
    # Mostly the partner's own staff (who then reach the customer while the mapping is ACTIVE),
    # sometimes anyone else (who never does).
    staff = [
        (i, c)
        for i, person in enumerate(people)
        for c, partner, _ in mappings
        if person.partner is not None and person.partner[0] == partner
    ]
    others = [(i, c) for i in range(len(people)) for c, _, _ in mappings if (i, c) not in staff]
    assignments: set[tuple[int, int]] = set()
    if staff:
        assignments |= draw(st.sets(st.sampled_from(staff), max_size=4))
    if others:
        assignments |= draw(st.sets(st.sampled_from(others), max_size=1))
    per_customer = st.lists(st.integers(0, 2), min_size=customers, max_size=customers)
    organizations = [("customer", c) for c in range(customers)] + [
        ("partner", p) for p in range(partners)
    ]
    suspended = draw(st.sets(st.sampled_from(organizations), max_size=1))
    return Spec(
        customers=customers,
        partners=partners,
        people=tuple(people),
        mappings=tuple(mappings),
        assignments=frozenset(assignments),
        devices=tuple(draw(per_customer)),
        licenses=tuple(draw(per_customer)),
        events=tuple(draw(per_customer)),
        suspended=frozenset(suspended),
    )


@dataclass
class Built:
    """The spec written to the database: ids by index, and a token per person."""

    spec: Spec
    customers: list[Organization]
    partners: list[Organization]
    users: list[uuid.UUID]
    tokens: list[str]
    locations: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)  # by organization
    devices: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)
    licenses: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)
    events: dict[uuid.UUID, set[uuid.UUID]] = field(default_factory=dict)

    def organization(self, kind: str, index: int) -> Organization:
        return (self.customers if kind == "customer" else self.partners)[index]

    def organizations(self) -> list[tuple[str, int, Organization]]:
        return [("customer", i, o) for i, o in enumerate(self.customers)] + [
            ("partner", i, o) for i, o in enumerate(self.partners)
        ]


async def build(services: Services, spec: Spec) -> Built:
    async with services.db.unit_of_work() as session:
        customers = [await create_organization(session) for _ in range(spec.customers)]
        partners = [
            await create_organization(session, type=OrganizationType.PARTNER)
            for _ in range(spec.partners)
        ]
        internal = None
        users = []
        for person in spec.people:
            user = await create_user(session)
            users.append(user.id)
            for c, role in person.customers:
                await add_member(session, user, customers[c], role)
            if person.partner is not None:
                await add_member(session, user, partners[person.partner[0]], person.partner[1])
            if person.internal_admin:
                if internal is None:
                    internal = await create_organization(
                        session, type=OrganizationType.INTERNAL, with_default_location=False
                    )
                await add_member(session, user, internal, Role.INTERNAL_ADMIN)
        mapping_ids = {}
        for c, p, status in spec.mappings:
            mapping = PartnerMapping(
                partner_organization_id=partners[p].id,
                customer_organization_id=customers[c].id,
                status=status,
                accepted_at=utcnow() if status is not PartnerMappingStatus.INVITED else None,
                ended_at=utcnow() if status is PartnerMappingStatus.ENDED else None,
            )
            session.add(mapping)
            await session.flush()
            mapping_ids[c] = mapping.id
        for assigned, c in sorted(spec.assignments):
            session.add(TechnicianAssignment(mapping_id=mapping_ids[c], user_id=users[assigned]))
        built = Built(spec, customers, partners, users, tokens=[])
        for kind, index, org in built.organizations():
            if (kind, index) in spec.suspended:
                org.status = OrganizationStatus.SUSPENDED
                org.suspended_at = utcnow()
                org.suspended_reason = "Unpaid invoices."
        for _, _, org in built.organizations():
            built.locations[org.id] = set(
                await session.scalars(select(Location.id).where(Location.organization_id == org.id))
            )
            built.devices[org.id] = set()
            built.licenses[org.id] = set()
            built.events[org.id] = set()
        for c, org in enumerate(customers):
            for _ in range(spec.devices[c]):
                built.devices[org.id].add((await create_device(session, org)).id)
            for _ in range(spec.licenses[c]):
                license, _key = await create_license(session, organization=org)
                built.licenses[org.id].add(license.id)
            for n in range(spec.events[c]):
                event = AuditEvent(action=f"test.event_{n}", organization_id=org.id, details={})
                session.add(event)
                await session.flush()
                built.events[org.id].add(event.id)
    built.tokens = [await mint_access_token(services, user_id) for user_id in users]
    return built
