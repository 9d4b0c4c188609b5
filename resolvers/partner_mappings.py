"""Partner-customer mappings and technicians over GraphQL: arguments -> one domain call -> types.

Queries act in the working organization unless given ``organizationId``; each mutation runs in one
unit of work (resolvers._payload maps expected failures to ``userErrors``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry

from db.models import PartnerMapping as PartnerMappingRow
from domain.partners import mappings, technicians
from domain.partners.customers import MappedCustomer
from domain.partners.managed import create_managed_customer
from resolvers._paging import page_args
from resolvers._payload import in_unit_of_work, run_mutation
from resolvers.context import context_of
from schema.arguments import AFTER, FIRST
from schema.errors import UserError
from schema.inputs.partners import (
    CreateManagedCustomerInput,
    InvitePartnerInput,
    PartnerMappingInput,
    TechnicianInput,
)
from schema.relay import make_connection
from schema.types.landing import Customer
from schema.types.partner_mapping import PartnerMapping, PartnerMappingConnection, Technician


@strawberry.type(description="The new customer and its mapping to the partner, or why not.")
class CreateManagedCustomerPayload:
    customer: Customer | None = strawberry.field(
        default=None,
        description="The new customer as the partner's landing lists it (null on failure).",
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
class PartnerMappingPayload:
    partner_mapping: PartnerMapping | None = strawberry.field(
        default=None, description="The mapping after the change (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.type(description="The new technician and the mapping, or why not.")
class AssignTechnicianPayload:
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


# --- queries -----------------------------------------------------------------------------------


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
    row = await mappings.support_partner(ctx.services, principal, organization_id)
    return PartnerMapping.from_row(row) if row is not None else None


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


def mapping_payload(row: PartnerMappingRow) -> PartnerMappingPayload:
    return PartnerMappingPayload(partner_mapping=PartnerMapping.from_row(row))


def mapping_failed(errors: list[UserError]) -> PartnerMappingPayload:
    return PartnerMappingPayload(user_errors=errors)


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
    principal = await ctx.principal()

    def done(row: MappedCustomer) -> CreateManagedCustomerPayload:
        return CreateManagedCustomerPayload(customer=Customer.from_mapped(row))

    return await run_mutation(
        lambda: create_managed_customer(ctx.services, principal, input.to_domain(), ctx.meta),
        done,
        lambda errors: CreateManagedCustomerPayload(user_errors=errors),
    )


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
    principal = await ctx.principal()
    return await run_mutation(
        lambda: mappings.invite_partner(
            ctx.services,
            principal,
            organization_id=input.organization_id,
            step_partner_code=input.step_partner_code,
            meta=ctx.meta,
            access_scope=input.access_scope,
            access_expires_at=input.access_expires_at,
        ),
        mapping_payload,
        mapping_failed,
    )


async def accept_partner_invitation(
    info: strawberry.Info,
    input: Annotated[
        PartnerMappingInput, strawberry.argument(description="The invitation's partner mapping.")
    ],
) -> PartnerMappingPayload:
    run = await in_unit_of_work(
        info,
        lambda s, p, m: mappings.accept_invitation(s, p, mapping_id=input.mapping_id, meta=m),
    )
    return await run_mutation(run, mapping_payload, mapping_failed)


async def decline_partner_invitation(
    info: strawberry.Info,
    input: Annotated[
        PartnerMappingInput, strawberry.argument(description="The invitation's partner mapping.")
    ],
) -> PartnerMappingPayload:
    run = await in_unit_of_work(
        info,
        lambda s, p, m: mappings.decline_invitation(s, p, mapping_id=input.mapping_id, meta=m),
    )
    return await run_mutation(run, mapping_payload, mapping_failed)


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
    run = await in_unit_of_work(
        info,
        lambda s, p, m: mappings.end_mapping(
            s,
            p,
            mapping_id=input.mapping_id,
            meta=m,
            remove_members_added_by_partner=remove_members_added_by_partner,
        ),
    )
    return await run_mutation(run, mapping_payload, mapping_failed)


async def assign_technician(
    info: strawberry.Info,
    input: Annotated[
        TechnicianInput,
        strawberry.argument(description="The customer and the partner's staff member to assign."),
    ],
) -> AssignTechnicianPayload:
    run = await in_unit_of_work(
        info,
        lambda s, p, m: technicians.assign_technician(
            s, p, customer_id=input.customer_id, user_id=input.user_id, meta=m
        ),
    )
    return await run_mutation(
        run,
        lambda done: AssignTechnicianPayload(
            technician=Technician.from_row(done.assignment),
            partner_mapping=PartnerMapping.from_row(done.mapping),
        ),
        lambda errors: AssignTechnicianPayload(user_errors=errors),
    )


async def unassign_technician(
    info: strawberry.Info,
    input: Annotated[
        TechnicianInput,
        strawberry.argument(description="The customer and the technician to take off it."),
    ],
) -> PartnerMappingPayload:
    run = await in_unit_of_work(
        info,
        lambda s, p, m: technicians.unassign_technician(
            s, p, customer_id=input.customer_id, user_id=input.user_id, meta=m
        ),
    )
    return await run_mutation(run, mapping_payload, mapping_failed)


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
