"""Organizations: the ``node(id:)`` lookup of an organization, and its own mutations:
``updateOrganization`` (name, address and phone) and ``deleteOrganization``
(domain/organizations/service.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.organizations import service as organizations
from domain.organizations.service import delete_organization, update_organization
from kit.ids import parse_uuid
from resolvers._payload import mutate
from schema.context import context_of
from schema.types.organizations import (
    DeleteOrganizationInput,
    DeleteOrganizationPayload,
    Organization,
    UpdateOrganizationInput,
    UpdateOrganizationPayload,
)


async def organization(info: strawberry.Info, id: strawberry.ID) -> Organization | None:
    """An organization the caller reaches (a member, an assigned technician, an internal admin):
    its root twin is ``viewer``, which lists the caller's organizations with the same scope."""
    ctx = context_of(info)
    principal = await ctx.principal()
    organization_id = parse_uuid(id)
    if organization_id is None:
        return None
    async with ctx.services.db.read_session() as session:
        row = await organizations.get_organization(session, principal, organization_id)
    return Organization.from_row(row) if row else None


async def update(
    info: strawberry.Info,
    input: Annotated[
        UpdateOrganizationInput,
        strawberry.argument(description="The organization and its new details."),
    ],
) -> UpdateOrganizationPayload:

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> UpdateOrganizationPayload:
        row = await update_organization(
            session,
            principal,
            organization_id=input.organization_id,
            name=input.name,
            address=input.address,
            phone=input.phone,
            meta=meta,
        )
        return UpdateOrganizationPayload(organization=Organization.from_row(row))

    return await mutate(info, UpdateOrganizationPayload, use_case)


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

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> DeleteOrganizationPayload:
        organization_id = await delete_organization(
            session,
            principal,
            organization_id=input.organization_id,
            confirm_name=input.confirm_name,
            meta=meta,
        )
        return DeleteOrganizationPayload(
            deleted_organization_id=strawberry.ID(str(organization_id))
        )

    return await mutate(info, DeleteOrganizationPayload, use_case)


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
