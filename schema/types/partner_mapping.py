"""Partner-customer mappings and the technicians assigned through them.

Edges resolve through the request's DataLoaders only. A mapping is reached only by someone who may
read one of its two sides (the customer's `supportPartner`, the partner's invitations and
customers, the payloads of the mutations that changed it): both organizations and the
technicians are what each side is meant to see of the other.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

import strawberry

from db.models import PartnerAccessExtension as PartnerAccessExtensionRow
from db.models import PartnerMapping as PartnerMappingRow
from db.models import TechnicianAssignment
from domain.enums import PartnerAccessScope, Role
from kit.clock import utcnow
from kit.pagination import make_page
from resolvers._paging import page_args
from resolvers.context import context_of
from schema.arguments import AFTER, FIRST
from schema.enums import PartnerMappingStatus
from schema.relay import Connection, make_connection
from schema.types.organization import Organization
from schema.types.user import User

TECHNICIAN_LABEL = "Installer"


@strawberry.type(
    description=(
        "A partner's staff member assigned to a customer: they act there with the TECHNICIAN "
        'role, which customers see as "Installer".'
    )
)
class Technician:
    id: strawberry.ID = strawberry.field(description="The person's user id.")
    role: Role = strawberry.field(description="Always TECHNICIAN.")
    role_label: str = strawberry.field(description='How customers call the role: "Installer".')
    assigned_at: datetime = strawberry.field(
        description="When the partner assigned them to the customer."
    )
    user_id: strawberry.Private[uuid.UUID]

    async def _user(self, info: strawberry.Info) -> User:
        row = await context_of(info).loaders.user_by_id.load(self.user_id)
        assert row is not None  # accounts are never deleted
        return User.from_row(row)

    user: User = strawberry.field(resolver=_user, description="The technician's account.")

    @classmethod
    def from_row(cls, row: TechnicianAssignment) -> Technician:
        return cls(
            id=strawberry.ID(str(row.user_id)),
            role=Role.TECHNICIAN,
            role_label=TECHNICIAN_LABEL,
            assigned_at=row.created_at,
            user_id=row.user_id,
        )


@strawberry.type(description="A page of technicians.")
class TechnicianConnection(Connection[Technician]):
    pass


async def technicians_of(
    info: strawberry.Info, mapping_id: uuid.UUID, first: int | None, after: str | None
) -> TechnicianConnection:
    """One page of a mapping's technicians; the pages of every mapping on screen load together."""
    ctx = context_of(info)
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    rows = await ctx.loaders.technicians_by_mapping_id.load((mapping_id, page))

    async def count() -> int:
        return await ctx.loaders.technician_count_by_mapping_id.load(mapping_id)

    return make_connection(TechnicianConnection, make_page(rows, page), Technician.from_row, count)


def no_technicians(
    info: strawberry.Info, first: int | None, after: str | None
) -> TechnicianConnection:
    page = page_args(first, after, maximum=context_of(info).settings.graphql_max_page_size)

    async def count() -> int:
        return 0

    return make_connection(TechnicianConnection, make_page([], page), Technician.from_row, count)


@strawberry.type(
    description=(
        "A partner's pending request to extend its access to a customer, which the customer's "
        "Super Admin approves or declines."
    )
)
class PartnerAccessExtensionRequest:
    id: strawberry.ID = strawberry.field(description="The request's id.")
    requested_until: datetime = strawberry.field(description="The end date the partner asks for.")
    requested_at: datetime = strawberry.field(description="When the partner asked.")

    @classmethod
    def from_row(cls, row: PartnerAccessExtensionRow) -> PartnerAccessExtensionRequest:
        return cls(
            id=strawberry.ID(str(row.id)),
            requested_until=row.requested_until,
            requested_at=row.created_at,
        )


async def pending_extension_of(
    info: strawberry.Info, mapping_id: uuid.UUID
) -> PartnerAccessExtensionRequest | None:
    row = await context_of(info).loaders.pending_extension_by_mapping_id.load(mapping_id)
    return PartnerAccessExtensionRequest.from_row(row) if row is not None else None


async def _organization(info: strawberry.Info, organization_id: uuid.UUID) -> Organization:
    row = await context_of(info).loaders.organization_by_id.load(organization_id)
    assert row is not None  # mappings reference organizations (foreign keys)
    return Organization.from_row(row)


@strawberry.type(
    name="PartnerMapping",
    description=(
        "A partner organization supporting a customer organization: INVITED by the customer "
        "until the partner accepts, ACTIVE while the partner's technicians may work there, "
        "ENDED by either side."
    ),
)
class PartnerMapping:
    id: strawberry.ID = strawberry.field(description="The mapping's id.")
    status: PartnerMappingStatus = strawberry.field(description="INVITED, ACTIVE or ENDED.")
    invited_at: datetime = strawberry.field(description="When the mapping was made.")
    since: datetime | None = strawberry.field(
        description="Since when the partner supports the customer (null while INVITED)."
    )
    ended_at: datetime | None = strawberry.field(
        description="When either side ended it (null unless ENDED)."
    )
    access_scope: PartnerAccessScope = strawberry.field(
        description="Which of its technicians' powers the customer grants the partner."
    )
    access_expires_at: datetime = strawberry.field(
        description=(
            "When the customer's grant ends: from then on the partner's technicians cannot "
            "reach the customer until the customer extends it."
        )
    )
    partner_id: strawberry.Private[uuid.UUID]
    customer_id: strawberry.Private[uuid.UUID]
    mapping_id: strawberry.Private[uuid.UUID]

    async def _partner(self, info: strawberry.Info) -> Organization:
        return await _organization(info, self.partner_id)

    async def _customer(self, info: strawberry.Info) -> Organization:
        return await _organization(info, self.customer_id)

    async def _partner_name(self, info: strawberry.Info) -> str:
        return (await _organization(info, self.partner_id)).name

    async def _technicians(
        self,
        info: strawberry.Info,
        first: Annotated[int | None, FIRST] = None,
        after: Annotated[str | None, AFTER] = None,
    ) -> TechnicianConnection:
        if self.status is not PartnerMappingStatus.ACTIVE:
            # Only an ACTIVE mapping lets technicians in: an ended one shows nobody.
            return no_technicians(info, first, after)
        return await technicians_of(info, self.mapping_id, first, after)

    def _access_expired(self) -> bool:
        return self.access_expires_at <= utcnow()

    async def _pending_extension(
        self, info: strawberry.Info
    ) -> PartnerAccessExtensionRequest | None:
        if self.status is not PartnerMappingStatus.ACTIVE:
            return None
        return await pending_extension_of(info, self.mapping_id)

    access_expired: bool = strawberry.field(
        resolver=_access_expired, description="Whether the grant's end date has passed."
    )
    pending_extension: PartnerAccessExtensionRequest | None = strawberry.field(
        resolver=_pending_extension,
        description="The partner's request for a later end date, while unanswered (else null).",
    )
    partner: Organization = strawberry.field(
        resolver=_partner, description="The partner organization."
    )
    customer: Organization = strawberry.field(
        resolver=_customer, description="The customer organization."
    )
    partner_name: str = strawberry.field(
        resolver=_partner_name, description="The partner's name (what a customer's page shows)."
    )
    technicians: TechnicianConnection = strawberry.field(
        resolver=_technicians,
        description=(
            "The partner's staff assigned to the customer, oldest assignment first (nobody "
            "unless ACTIVE)."
        ),
    )

    @classmethod
    def from_row(cls, row: PartnerMappingRow) -> PartnerMapping:
        return cls(
            id=strawberry.ID(str(row.id)),
            status=row.status,
            invited_at=row.created_at,
            since=row.accepted_at,
            ended_at=row.ended_at,
            access_scope=row.access_scope,
            # Never null once migrated; a missing end is no access (domain.authz.repository).
            access_expires_at=row.access_expires_at or row.created_at,
            partner_id=row.partner_organization_id,
            customer_id=row.customer_organization_id,
            mapping_id=row.id,
        )


@strawberry.type(description="A page of partner mappings.")
class PartnerMappingConnection(Connection[PartnerMapping]):
    pass
