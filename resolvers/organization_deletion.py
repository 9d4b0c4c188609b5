"""``deleteOrganization``: the Super Admin removes an empty organization
(domain.organizations.service)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.organizations.errors import NotEmpty
from domain.organizations.repository import Contents
from domain.organizations.service import delete_organization
from resolvers._payload import run_mutation
from resolvers.context import context_of
from schema.inputs.members import DeleteOrganizationInput, DeleteOrganizationPayload
from schema.types.member import OrganizationContents


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
