"""An organization's own mutations: ``updateOrganization`` (name, address and phone,
domain/organizations/details.py) and ``deleteOrganization`` (domain/organizations/deletion.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.organizations.deletion import NotEmpty, delete_organization
from domain.organizations.details import update_organization
from domain.organizations.repository import Contents
from resolvers._payload import run_mutation
from schema.context import context_of
from schema.types.organizations import (
    DeleteOrganizationInput,
    DeleteOrganizationPayload,
    Organization,
    OrganizationContents,
    UpdateOrganizationInput,
    UpdateOrganizationPayload,
)


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


async def delete_organization_mutation(
    info: strawberry.Info,
    input: Annotated[
        DeleteOrganizationInput,
        strawberry.argument(description="The organization and its name, typed again."),
    ],
) -> DeleteOrganizationPayload:
    ctx = context_of(info)
    principal = await ctx.principal()
    remaining: Contents | None = None

    async def action() -> strawberry.ID:
        nonlocal remaining
        try:
            async with ctx.services.db.unit_of_work() as session:
                organization_id = await delete_organization(
                    session,
                    principal,
                    organization_id=input.organization_id,
                    confirm_name=input.confirm_name,
                    meta=ctx.meta,
                )
        except NotEmpty as exc:
            remaining = exc.contents
            raise
        return strawberry.ID(str(organization_id))

    return await run_mutation(
        action,
        lambda organization_id: DeleteOrganizationPayload(deleted_organization_id=organization_id),
        lambda errors: DeleteOrganizationPayload(
            remaining=OrganizationContents.from_contents(remaining) if remaining else None,
            user_errors=errors,
        ),
    )


@strawberry.type
class OrganizationDeletionMutation:
    delete_organization: DeleteOrganizationPayload = strawberry.mutation(
        resolver=delete_organization_mutation,
        description=(
            "Super Admin only: delete the organization once it is empty (no other members, "
            "devices, unexpired licenses, pending invitations or active partner). Type its name "
            "in `confirmName`."
        ),
    )
