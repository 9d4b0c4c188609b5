"""Partners' root fields (domain/partners): joining as a STEP partner (no token), the
internal admins' review of requests, partner-customer mappings with their technicians, and
the customer's time-bound grant on each mapping (domain.partners.access)."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import PartnerMapping as PartnerMappingRow
from db.models import PartnerRequest as PartnerRequestRow
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.partners import access, mappings
from domain.partners import service as partners_service
from domain.partners.join import join_as_step_partner
from domain.partners.review import (
    approve_partner_request,
    reject_partner_request,
)
from domain.partners.service import MappedCustomer
from resolvers._payload import mutate
from schema.arguments import AFTER, FIRST
from schema.context import context_of
from schema.enums import PartnerRequestStatus
from schema.payloads import AcceptedPayload
from schema.types.landing import Customer
from schema.types.partners import (
    AssignTechnicianPayload,
    CreateManagedCustomerInput,
    CreateManagedCustomerPayload,
    InvitePartnerInput,
    JoinAsStepPartnerInput,
    PartnerMapping,
    PartnerMappingConnection,
    PartnerMappingInput,
    PartnerMappingPayload,
    PartnerRequest,
    PartnerRequestConnection,
    RequestPartnerAccessExtensionInput,
    ReviewPartnerRequestPayload,
    Technician,
    TechnicianInput,
    UpdatePartnerAccessInput,
    partner_invitation_connection,
    partner_request_connection,
    support_partner,
)


async def partner_requests(
    info: strawberry.Info,
    status: Annotated[
        PartnerRequestStatus | None,
        strawberry.argument(description="Only requests in this status; all of them when omitted."),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> PartnerRequestConnection:
    return await partner_request_connection(info, status=status, first=first, after=after)


async def join(
    info: strawberry.Info,
    input: Annotated[
        JoinAsStepPartnerInput,
        strawberry.argument(
            description="The information form, the STEP partner code and the two acceptances."
        ),
    ],
) -> AcceptedPayload:
    ctx = context_of(info)

    async def use_case() -> AcceptedPayload:
        await join_as_step_partner(ctx.services, ctx.meta, input.to_domain())
        return AcceptedPayload(accepted=True)

    return await mutate(info, AcceptedPayload, use_case, anonymous=True)


def _reviewed(row: PartnerRequestRow) -> ReviewPartnerRequestPayload:
    return ReviewPartnerRequestPayload(partner_request=PartnerRequest.from_row(row))


async def approve(
    info: strawberry.Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The pending partner request's id.")
    ],
) -> ReviewPartnerRequestPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> ReviewPartnerRequestPayload:
        return _reviewed(await approve_partner_request(ctx.services, principal, ctx.meta, str(id)))

    return await mutate(info, ReviewPartnerRequestPayload, use_case, unit_of_work=False)


async def reject(
    info: strawberry.Info,
    id: Annotated[
        strawberry.ID, strawberry.argument(description="The pending partner request's id.")
    ],
    reason: Annotated[
        str, strawberry.argument(description="Why it is rejected; emailed to the requester.")
    ],
) -> ReviewPartnerRequestPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> ReviewPartnerRequestPayload:
        return _reviewed(
            await reject_partner_request(ctx.services, principal, ctx.meta, str(id), reason)
        )

    return await mutate(info, ReviewPartnerRequestPayload, use_case, unit_of_work=False)


@strawberry.type
class PartnersQuery:
    partner_requests: PartnerRequestConnection = strawberry.field(
        resolver=partner_requests,
        description="Partner requests, oldest first. Internal admins only.",
    )


@strawberry.type
class PartnersMutation:
    join_as_step_partner: AcceptedPayload = strawberry.mutation(
        resolver=join,
        description=(
            '"Join as a STEP Partner": records a request for an internal admin to review. A STEP '
            "code that is unknown, revoked or already used is refused at once (INVALID_STEP_CODE)."
        ),
    )
    approve_partner_request: ReviewPartnerRequestPayload = strawberry.mutation(
        resolver=approve,
        description=(
            "Approve a pending request: creates the partner organization and its Super Admin and "
            "sends the activation email. Internal admins only."
        ),
    )
    reject_partner_request: ReviewPartnerRequestPayload = strawberry.mutation(
        resolver=reject,
        description="Reject a pending request; the reason is emailed. Internal admins only.",
    )


# --- queries -----------------------------------------------------------------------------------


async def partner_invitations(
    info: strawberry.Info,
    organization_id: Annotated[
        strawberry.ID | None,
        strawberry.argument(
            description="The partner organization; defaults to the working organization."
        ),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> PartnerMappingConnection:
    return await partner_invitation_connection(
        info, organization_id=organization_id, first=first, after=after
    )


@strawberry.type
class PartnerMappingQuery:
    support_partner: PartnerMapping | None = strawberry.field(
        resolver=support_partner,
        description=(
            "The customer organization's support partner: its current mapping (INVITED or "
            "ACTIVE) with the partner and its technicians, or null."
        ),
    )
    partner_invitations: PartnerMappingConnection = strawberry.field(
        resolver=partner_invitations,
        description=(
            "The partner organization's pending invitations from customers, oldest first. "
            "Partner Super Admins and Admins."
        ),
    )


# --- mutations ---------------------------------------------------------------------------------


def _mapping_payload(row: PartnerMappingRow) -> PartnerMappingPayload:
    return PartnerMappingPayload(partner_mapping=PartnerMapping.from_row(row))


async def _mapping_change(
    info: strawberry.Info,
    change: Callable[[AsyncSession, Principal, RequestMeta], Awaitable[PartnerMappingRow]],
) -> PartnerMappingPayload:
    """A mutation of one partner mapping in the request's unit of work, answered with it."""

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> PartnerMappingPayload:
        return _mapping_payload(await change(session, principal, meta))

    return await mutate(info, PartnerMappingPayload, use_case)


async def create_managed_customer_(
    info: strawberry.Info,
    input: Annotated[
        CreateManagedCustomerInput,
        strawberry.argument(
            description="The customer organization's details and the acceptances ticked on its behalf."
        ),
    ],
) -> CreateManagedCustomerPayload:
    ctx = context_of(info)

    def done(row: MappedCustomer) -> CreateManagedCustomerPayload:
        return CreateManagedCustomerPayload(customer=Customer.from_mapped(row))

    async def use_case(principal: Principal) -> CreateManagedCustomerPayload:
        return done(
            await partners_service.create_managed_customer(
                ctx.services, principal, ctx.meta, input.to_domain()
            )
        )

    return await mutate(info, CreateManagedCustomerPayload, use_case, unit_of_work=False)


async def invite_partner(
    info: strawberry.Info,
    input: Annotated[
        InvitePartnerInput,
        strawberry.argument(
            description="The customer organization and the partner's STEP partner code."
        ),
    ],
) -> PartnerMappingPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> PartnerMappingPayload:
        return _mapping_payload(
            await mappings.invite_partner(
                ctx.services,
                principal,
                organization_id=input.organization_id,
                step_partner_code=input.step_partner_code,
                meta=ctx.meta,
                access_scope=input.access_scope,
                access_expires_at=input.access_expires_at,
            )
        )

    return await mutate(info, PartnerMappingPayload, use_case, unit_of_work=False)


async def accept_partner_invitation(
    info: strawberry.Info,
    input: Annotated[
        PartnerMappingInput, strawberry.argument(description="The invitation's partner mapping.")
    ],
) -> PartnerMappingPayload:
    return await _mapping_change(
        info,
        lambda session, principal, meta: mappings.accept_invitation(
            session, principal, mapping_id=input.mapping_id, meta=meta
        ),
    )


async def decline_partner_invitation(
    info: strawberry.Info,
    input: Annotated[
        PartnerMappingInput, strawberry.argument(description="The invitation's partner mapping.")
    ],
) -> PartnerMappingPayload:
    return await _mapping_change(
        info,
        lambda session, principal, meta: mappings.decline_invitation(
            session, principal, mapping_id=input.mapping_id, meta=meta
        ),
    )


async def end_partner_mapping(
    info: strawberry.Info,
    input: Annotated[
        PartnerMappingInput, strawberry.argument(description="The partner mapping to end.")
    ],
    remove_members_added_by_partner: Annotated[
        bool,
        strawberry.argument(
            description=(
                "Also remove the members the partner's staff brought into the customer "
                "(`Member.addedByPartner`; never the Super Admin). Defaults to true: ending a "
                "relationship ends what it set in motion. Only the customer's Super Admin may "
                "keep them (false); when the partner ends the mapping they are always removed. "
                "Pending invitations sent by the partner's staff are cancelled either way."
            )
        ),
    ] = True,
) -> PartnerMappingPayload:
    return await _mapping_change(
        info,
        lambda session, principal, meta: mappings.end_mapping(
            session,
            principal,
            mapping_id=input.mapping_id,
            meta=meta,
            remove_members_added_by_partner=remove_members_added_by_partner,
        ),
    )


async def assign_technician(
    info: strawberry.Info,
    input: Annotated[
        TechnicianInput,
        strawberry.argument(description="The customer and the partner's staff member to assign."),
    ],
) -> AssignTechnicianPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> AssignTechnicianPayload:
        done = await partners_service.assign_technician(
            session, principal, customer_id=input.customer_id, user_id=input.user_id, meta=meta
        )
        return AssignTechnicianPayload(
            technician=Technician.from_row(done.assignment),
            partner_mapping=PartnerMapping.from_row(done.mapping),
        )

    return await mutate(info, AssignTechnicianPayload, use_case)


async def unassign_technician(
    info: strawberry.Info,
    input: Annotated[
        TechnicianInput,
        strawberry.argument(description="The customer and the technician to take off it."),
    ],
) -> PartnerMappingPayload:
    return await _mapping_change(
        info,
        lambda session, principal, meta: partners_service.unassign_technician(
            session, principal, customer_id=input.customer_id, user_id=input.user_id, meta=meta
        ),
    )


@strawberry.type
class PartnerMappingMutation:
    create_managed_customer: CreateManagedCustomerPayload = strawberry.mutation(
        resolver=create_managed_customer_,
        description=(
            "A partner's Super Admin or Admin creates a customer organization on the customer's "
            "behalf: the partner becomes its support partner and the creator its technician; "
            "the first person invited into it who joins becomes its Super Admin."
        ),
    )
    invite_partner: PartnerMappingPayload = strawberry.mutation(
        resolver=invite_partner,
        description=(
            "The customer's Super Admin invites a partner organization by its STEP partner code "
            "(INVALID_STEP_CODE when the code names no active partner; PARTNER_ALREADY_MAPPED "
            "while another partner supports the customer or is invited)."
        ),
    )
    accept_partner_invitation: PartnerMappingPayload = strawberry.mutation(
        resolver=accept_partner_invitation,
        description="The partner's Super Admin or an Admin accepts a customer's invitation.",
    )
    decline_partner_invitation: PartnerMappingPayload = strawberry.mutation(
        resolver=decline_partner_invitation,
        description="The partner's Super Admin or an Admin declines a customer's invitation.",
    )
    end_partner_mapping: PartnerMappingPayload = strawberry.mutation(
        resolver=end_partner_mapping,
        description=(
            "Either side ends the mapping (or the customer withdraws its invitation); the "
            "partner's technicians lose access with their very next request, their pending "
            "invitations are cancelled, and the members they added are removed unless the "
            "customer's Super Admin keeps them (removeMembersAddedByPartner: false)."
        ),
    )
    assign_technician: AssignTechnicianPayload = strawberry.mutation(
        resolver=assign_technician,
        description="A partner admin lets one of the partner's staff work in a customer.",
    )
    unassign_technician: PartnerMappingPayload = strawberry.mutation(
        resolver=unassign_technician,
        description="Take a technician off a customer (effective with their next request).",
    )


# --- time-bound access (domain.partners.access) ------------------------------------------------


async def update_partner_access(
    info: strawberry.Info,
    input: Annotated[
        UpdatePartnerAccessInput,
        strawberry.argument(description="The mapping and the grant's new scope or end date."),
    ],
) -> PartnerMappingPayload:
    return await _mapping_change(
        info,
        lambda session, principal, meta: access.update_access(
            session,
            principal,
            meta,
            mapping_id=input.mapping_id,
            scope=input.access_scope,
            expires_at=input.access_expires_at,
        ),
    )


async def request_partner_access_extension(
    info: strawberry.Info,
    input: Annotated[
        RequestPartnerAccessExtensionInput,
        strawberry.argument(description="The mapping and the end date asked for."),
    ],
) -> PartnerMappingPayload:
    settings = context_of(info).settings

    return await _mapping_change(
        info,
        lambda session, principal, meta: access.request_extension(
            session,
            principal,
            meta,
            settings=settings,
            mapping_id=input.mapping_id,
            until=input.until,
        ),
    )


async def _answer_extension(
    info: strawberry.Info, mapping_id: str, *, approve: bool
) -> PartnerMappingPayload:
    settings = context_of(info).settings

    return await _mapping_change(
        info,
        lambda session, principal, meta: access.answer_extension(
            session, principal, meta, settings=settings, mapping_id=mapping_id, approve=approve
        ),
    )


async def approve_partner_access_extension(
    info: strawberry.Info,
    input: Annotated[PartnerMappingInput, strawberry.argument(description="The partner mapping.")],
) -> PartnerMappingPayload:
    return await _answer_extension(info, input.mapping_id, approve=True)


async def decline_partner_access_extension(
    info: strawberry.Info,
    input: Annotated[PartnerMappingInput, strawberry.argument(description="The partner mapping.")],
) -> PartnerMappingPayload:
    return await _answer_extension(info, input.mapping_id, approve=False)


@strawberry.type
class PartnerAccessMutation:
    update_partner_access: PartnerMappingPayload = strawberry.mutation(
        resolver=update_partner_access,
        description=(
            "The customer's Super Admin changes its partner's grant: the scope (which of the "
            "technicians' powers apply) and the end date (in the future, at most two years "
            "ahead; ACCESS_END_DATE_TOO_EARLY / ACCESS_END_DATE_TOO_LATE). Takes effect with "
            "the technicians' next request."
        ),
    )
    request_partner_access_extension: PartnerMappingPayload = strawberry.mutation(
        resolver=request_partner_access_extension,
        description=(
            "The partner's Super Admin or an Admin asks the customer to extend its access "
            "(also after it ended, while the mapping is ACTIVE); the customer's Super Admin is "
            "emailed. EXTENSION_ALREADY_REQUESTED while one waits for an answer; "
            "EXTENSION_RECENTLY_DECLINED within a day of a refusal."
        ),
    )
    approve_partner_access_extension: PartnerMappingPayload = strawberry.mutation(
        resolver=approve_partner_access_extension,
        description=(
            "The customer's Super Admin grants the pending extension: the access now ends on "
            "the date asked for. NO_EXTENSION_REQUESTED when none is pending."
        ),
    )
    decline_partner_access_extension: PartnerMappingPayload = strawberry.mutation(
        resolver=decline_partner_access_extension,
        description=(
            "The customer's Super Admin declines the pending extension; the end date stays. "
            "NO_EXTENSION_REQUESTED when none is pending."
        ),
    )
