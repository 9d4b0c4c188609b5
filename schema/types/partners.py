"""Partners' GraphQL face (domain/partners): "Join as a STEP Partner" requests and their
review, partner-customer mappings and the technicians assigned through them, with their inputs
and payloads.

Edges resolve through the request's DataLoaders only. A mapping is reached only by someone who may
read one of its two sides (the customer's `supportPartner`, the partner's invitations and
customers, the payloads of the mutations that changed it): both organizations and the
technicians are what each side is meant to see of the other.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import TYPE_CHECKING, Annotated

import strawberry

from db.models import PartnerAccessExtension as PartnerAccessExtensionRow
from db.models import PartnerMapping as PartnerMappingRow
from db.models import PartnerRequest as PartnerRequestRow
from db.models import TechnicianAssignment
from domain.accounts.forms import InformationForm
from domain.partners import mappings
from domain.partners.join import PartnerJoinForm
from domain.partners.review import (
    list_partner_requests,
)
from domain.partners.service import ManagedCustomerForm
from kit.clock import utcnow
from kit.pagination import InvalidCursor, Page, make_page
from schema.arguments import AFTER, FIRST
from schema.context import context_of
from schema.enums import PartnerAccessScope, PartnerMappingStatus, PartnerRequestStatus, Role
from schema.errors import ErrorCode, PortalGraphQLError, UserError
from schema.paging import page_args
from schema.payloads import Payload
from schema.relay import Connection, Edge, PageInfo, build_edges, make_connection
from schema.types.accounts import User
from schema.types.organizations import Organization

TECHNICIAN_LABEL = "Installer"


if TYPE_CHECKING:
    from schema.types.landing import Customer


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


async def _request_organization(root: PartnerRequest, info: strawberry.Info) -> Organization | None:
    if root.organization_id is None:
        return None
    row = await context_of(info).loaders.organization_by_id.load(root.organization_id)
    return Organization.from_row(row) if row is not None else None


@strawberry.type(name="PartnerRequest", description='A "Join as a STEP Partner" request.')
class PartnerRequest:
    id: strawberry.ID = strawberry.field(description="The request's id.")
    status: PartnerRequestStatus = strawberry.field(
        description="PENDING until an internal admin approves or rejects it."
    )
    step_partner_code: str = strawberry.field(
        description="The STEP partner code the requester gave (normalized, upper case)."
    )
    company_name: str = strawberry.field(
        description="The partner company's name, as the future organization's name."
    )
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code, e.g. DE.")
    address: str | None = strawberry.field(description="Postal address as entered, or null.")
    phone: str | None = strawberry.field(description="Phone number as entered, or null.")
    contact_email: str = strawberry.field(description="The future Partner Super Admin's email.")
    contact_first_name: str = strawberry.field(
        description="The future Partner Super Admin's first name."
    )
    contact_last_name: str = strawberry.field(
        description="The future Partner Super Admin's last name."
    )
    created_at: datetime = strawberry.field(description="When the request was submitted.")
    reviewed_at: datetime | None = strawberry.field(
        description="When an internal admin approved or rejected it (null while PENDING)."
    )
    reason: str | None = strawberry.field(description="Why it was rejected.")
    organization_id: strawberry.Private[uuid.UUID | None]
    organization: Organization | None = strawberry.field(
        resolver=_request_organization,
        description="The partner organization an approval created.",
    )

    @classmethod
    def from_row(cls, row: PartnerRequestRow) -> PartnerRequest:
        return cls(
            id=strawberry.ID(str(row.id)),
            status=row.status,
            step_partner_code=row.step_partner_code,
            company_name=row.company_name,
            country=row.country,
            address=row.address,
            phone=row.phone,
            contact_email=row.contact_email,
            contact_first_name=row.first_name,
            contact_last_name=row.last_name,
            created_at=row.created_at,
            reviewed_at=row.reviewed_at,
            reason=row.reason,
            organization_id=row.organization_id,
        )


@strawberry.type(name="PartnerRequestConnection", description="A page of partner requests.")
class PartnerRequestConnection:
    edges: list[Edge[PartnerRequest]] = strawberry.field(
        description="The items of this page, each with its cursor."
    )
    page_info: PageInfo = strawberry.field(
        description="Whether more items follow, and the cursors to page on."
    )

    @classmethod
    def from_page(cls, page: Page[PartnerRequestRow]) -> PartnerRequestConnection:
        edges, info = build_edges(page, PartnerRequest.from_row)
        return cls(edges=edges, page_info=info)


# --- inputs and payloads of the mutations (resolvers/partners.py)


@strawberry.input(
    description=(
        "A customer organization a partner creates on the customer's behalf: the sign-up form's "
        "organization fields, and the two boxes the partner ticks for the customer."
    )
)
class CreateManagedCustomerInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The partner organization; defaults to the working one."
    )
    organization_name: str = strawberry.field(description="The customer organization's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = strawberry.field(default=None, description="Postal address (optional).")
    phone: str | None = strawberry.field(default=None, description="Phone number (optional).")
    accept_terms_of_service: bool = strawberry.field(
        description="Must be true: the partner accepts the terms of service for the customer."
    )
    accept_privacy_policy: bool = strawberry.field(
        description="Must be true: the partner accepts the privacy policy and agreement for the customer."
    )

    def to_domain(self) -> ManagedCustomerForm:
        return ManagedCustomerForm(
            organization_id=self.organization_id,
            organization_name=self.organization_name,
            country=self.country,
            address=self.address,
            phone=self.phone,
            accept_terms_of_service=self.accept_terms_of_service,
            accept_privacy_policy=self.accept_privacy_policy,
        )


@strawberry.input(description="A customer's Super Admin invites a partner by its STEP code.")
class InvitePartnerInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The customer organization; defaults to the working one."
    )
    step_partner_code: str = strawberry.field(
        description="The partner organization's STEP partner code."
    )
    access_scope: PartnerAccessScope | None = strawberry.field(
        default=None,
        description=(
            "Which of its technicians' powers the partner gets; defaults to DEVICES_LICENSES_USERS."
        ),
    )
    access_expires_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "When the partner's access ends: in the future, at most two years from now; "
            "defaults to one year from now."
        ),
    )


@strawberry.input(description="A partner mapping to act on.")
class PartnerMappingInput:
    mapping_id: strawberry.ID = strawberry.field(description="The partner mapping's id.")


@strawberry.input(description="A member of the partner's staff and a customer it supports.")
class TechnicianInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer organization's id.")
    user_id: strawberry.ID = strawberry.field(description="A user of the partner organization.")


@strawberry.input(description="A customer's Super Admin changes its partner's grant.")
class UpdatePartnerAccessInput:
    mapping_id: strawberry.ID = strawberry.field(description="The partner mapping's id.")
    access_scope: PartnerAccessScope | None = strawberry.field(
        default=None, description="The new scope (omitted: unchanged)."
    )
    access_expires_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "The new end date: in the future, at most two years from now (omitted: unchanged)."
        ),
    )


@strawberry.input(description="A partner asks a customer for more time.")
class RequestPartnerAccessExtensionInput:
    mapping_id: strawberry.ID = strawberry.field(description="The partner mapping's id.")
    until: datetime | None = strawberry.field(
        default=None,
        description=(
            "The end date asked for: later than the current one, at most two years from now; "
            "defaults to one more year."
        ),
    )


@strawberry.input(description='"Join as a STEP Partner": the information form and the code.')
class JoinAsStepPartnerInput:
    step_partner_code: str = strawberry.field(
        description="The STEP partner code the vendor gave the partner."
    )
    company_name: str = strawberry.field(description="The partner company's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = strawberry.field(default=None, description="Postal address (optional).")
    phone: str | None = strawberry.field(default=None, description="Phone number (optional).")
    first_name: str = strawberry.field(description="The future Partner Super Admin's first name.")
    last_name: str = strawberry.field(description="The future Partner Super Admin's last name.")
    email: str = strawberry.field(
        description="The future Partner Super Admin's email: the confirmation goes there."
    )
    accept_terms_of_service: bool = strawberry.field(
        description="Must be true: the terms of service are accepted (recorded with version, time and client)."
    )
    accept_privacy_policy: bool = strawberry.field(
        description="Must be true: the privacy policy and agreement are accepted (recorded with version, time and client)."
    )

    def to_domain(self) -> PartnerJoinForm:
        return PartnerJoinForm(
            step_partner_code=self.step_partner_code,
            form=InformationForm(
                organization_name=self.company_name,
                country=self.country,
                address=self.address,
                phone=self.phone,
                first_name=self.first_name,
                last_name=self.last_name,
                email=self.email,
                accept_terms_of_service=self.accept_terms_of_service,
                accept_privacy_policy=self.accept_privacy_policy,
            ),
        )


@strawberry.type(description="The reviewed partner request, or why the review failed.")
class ReviewPartnerRequestPayload(Payload):
    partner_request: PartnerRequest | None = strawberry.field(
        default=None, description="The request, now APPROVED or REJECTED (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The new customer and its mapping to the partner, or why not.")
class CreateManagedCustomerPayload(Payload):
    # Lazy: the landing page's Customer lists the partner's mappings (schema/types/landing.py
    # imports this module).
    customer: Annotated[Customer, strawberry.lazy("schema.types.landing")] | None = (
        strawberry.field(
            default=None,
            description="The new customer as the partner's landing lists it (null on failure).",
        )
    )
    partner_mapping: PartnerMapping | None = strawberry.field(
        default=None,
        description="The ACTIVE mapping between the partner and the new customer (null on failure).",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The partner mapping after the change, or why not.")
class PartnerMappingPayload(Payload):
    partner_mapping: PartnerMapping | None = strawberry.field(
        default=None, description="The mapping after the change (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The new technician and the mapping, or why not.")
class AssignTechnicianPayload(Payload):
    technician: Technician | None = strawberry.field(
        default=None, description="The assigned technician (null on failure)."
    )
    partner_mapping: PartnerMapping | None = strawberry.field(
        default=None, description="The mapping the technician works under (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


# --- list resolvers shared by Query (resolvers/partners.py) and other types' edges


async def partner_request_connection(
    info: strawberry.Info,
    *,
    status: PartnerRequestStatus | None,
    first: int | None,
    after: str | None,
) -> PartnerRequestConnection:
    """The internal admins' request list; reused by ``AdminLanding.pendingPartnerRequests``
    (with ``status=PENDING``). UNAUTHENTICATED without a token, FORBIDDEN for non-admins."""
    ctx = context_of(info)
    principal = await ctx.principal()
    try:
        page = await list_partner_requests(
            ctx.services, principal, status=status, first=first, after=after
        )
    except InvalidCursor as exc:
        raise PortalGraphQLError(
            "`after` is not a cursor from this list.", ErrorCode.BAD_USER_INPUT
        ) from exc
    except ValueError as exc:
        raise PortalGraphQLError("`first` must not be negative.", ErrorCode.BAD_USER_INPUT) from exc
    return PartnerRequestConnection.from_page(page)


async def support_partner(
    info: strawberry.Info,
    organization_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="The customer organization; defaults to the working organization."
        ),
    ] = None,
) -> PartnerMapping | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        row = await mappings.support_partner(session, principal, organization_id)
    return PartnerMapping.from_row(row) if row is not None else None


async def partner_invitation_connection(
    info: strawberry.Info,
    *,
    organization_id: strawberry.ID | str | None,
    first: int | None,
    after: str | None,
) -> PartnerMappingConnection:
    """The partner's pending invitations (``Query.partnerInvitations``,
    ``Organization.partnerInvitations``)."""
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    async with ctx.services.db.read_session() as session:
        partner_id, rows = await mappings.partner_invitations(
            session, principal, organization_id=organization_id, page=page
        )

    async def count() -> int:
        async with ctx.services.db.read_session() as session:
            return await mappings.count_partner_invitations(session, partner_id)

    return make_connection(PartnerMappingConnection, rows, PartnerMapping.from_row, count)
