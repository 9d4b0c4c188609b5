"""``updateOrganization``: an organization's name, address and phone
(domain/organizations/service.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.organizations.service import update_organization
from resolvers._payload import run_mutation
from resolvers.context import context_of
from schema.inputs.organization_details import UpdateOrganizationInput, UpdateOrganizationPayload
from schema.types.organization import Organization


async def update(
    info: strawberry.Info,
    input: Annotated[
        UpdateOrganizationInput,
        strawberry.argument(description="The organization and its new details."),
    ],
) -> UpdateOrganizationPayload:
    ctx = context_of(info)
    principal = await ctx.principal()

    async def action() -> Organization:
        async with ctx.services.db.unit_of_work() as session:
            row = await update_organization(
                session,
                principal,
                organization_id=input.organization_id,
                name=input.name,
                address=input.address,
                phone=input.phone,
                meta=ctx.meta,
            )
            return Organization.from_row(row)

    return await run_mutation(
        action,
        lambda organization: UpdateOrganizationPayload(organization=organization),
        lambda errors: UpdateOrganizationPayload(user_errors=errors),
    )


@strawberry.type
class OrganizationDetailsMutation:
    update_organization: UpdateOrganizationPayload = strawberry.mutation(
        resolver=update,
        description=(
            "Super Admin or Admin of a customer or partner: change the organization's name, "
            "address or phone. Audited."
        ),
    )
