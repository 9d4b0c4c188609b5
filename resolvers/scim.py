"""SCIM provisioning tokens: the list, create, revoke (thin: arguments → one call of
domain/scim/service.py → types in schema/types/scim.py). The SCIM endpoints are web/scim.py."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.scim import service
from resolvers._payload import mutate
from schema.arguments import ORGANIZATION
from schema.context import context_of
from schema.types.scim import CreateScimTokenPayload, RevokeScimTokenPayload, ScimToken

SCIM_PATH = "/scim/v2"


async def scim_tokens(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
) -> list[ScimToken] | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        rows = await service.list_tokens(session, principal, organization_id=organization_id)
    return [ScimToken.from_row(row) for row in rows]


async def create(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
) -> CreateScimTokenPayload:
    base_url = context_of(info).settings.public_url.rstrip("/") + SCIM_PATH

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> CreateScimTokenPayload:
        issued = await service.create_token(
            session, principal, meta, organization_id=organization_id
        )
        return CreateScimTokenPayload(
            token=issued.token, scim_token=ScimToken.from_row(issued.row), base_url=base_url
        )

    return await mutate(info, CreateScimTokenPayload, use_case)


async def revoke(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
) -> RevokeScimTokenPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RevokeScimTokenPayload:
        row = await service.revoke_token(session, principal, meta, organization_id=organization_id)
        return RevokeScimTokenPayload(revoked_scim_token_id=strawberry.ID(str(row.id)))

    return await mutate(info, RevokeScimTokenPayload, use_case)


@strawberry.type
class ScimQuery:
    scim_tokens: list[ScimToken] | None = strawberry.field(
        resolver=scim_tokens,
        description=(
            "Super Admin: the organization's SCIM tokens, newest first (the live one and up to "
            "19 it replaced), with when each was last used. Null (with a FORBIDDEN error) for "
            "anyone else, so that a page asking for it with its frame keeps the frame."
        ),
    )


@strawberry.type
class ScimMutation:
    create_scim_token: CreateScimTokenPayload = strawberry.mutation(
        resolver=create,
        description=(
            "Super Admin of a customer organization: a new SCIM token for its directory, shown "
            "this once, with the SCIM base URL; the previous token stops working. Audited."
        ),
    )
    revoke_scim_token: RevokeScimTokenPayload = strawberry.mutation(
        resolver=revoke,
        description=(
            "Super Admin: revoke the organization's SCIM token; the directory's next request is "
            "refused. Provisioned members stay. Audited."
        ),
    )
