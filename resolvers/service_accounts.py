"""Service accounts: the list, create, rotate the secret, revoke (thin: arguments → one call of
domain/service_accounts/service.py → types in schema/types/service_accounts.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.service_accounts import service
from resolvers._payload import mutate
from schema.arguments import AFTER, FIRST, ORGANIZATION
from schema.context import context_of
from schema.paging import page_args
from schema.relay import make_connection
from schema.types.service_accounts import (
    CreateServiceAccountInput,
    CreateServiceAccountPayload,
    RevokeServiceAccountPayload,
    RotateServiceAccountSecretPayload,
    ServiceAccount,
    ServiceAccountConnection,
    ServiceAccountIdInput,
)


async def service_accounts(
    info: strawberry.Info,
    organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> ServiceAccountConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    db = ctx.services.db
    async with db.read_session() as session:
        organization, rows = await service.list_service_accounts(
            session, principal, organization_id=organization_id, page=page
        )

    async def count() -> int:
        async with db.read_session() as session:
            return await service.count_service_accounts(session, organization)

    return make_connection(ServiceAccountConnection, rows, ServiceAccount.from_row, count)


async def create(
    info: strawberry.Info,
    input: Annotated[
        CreateServiceAccountInput,
        strawberry.argument(description="The organization, a name and a role."),
    ],
) -> CreateServiceAccountPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> CreateServiceAccountPayload:
        issued = await service.create_service_account(
            session,
            principal,
            meta,
            organization_id=input.organization_id,
            name=input.name,
            role=input.role,
        )
        return CreateServiceAccountPayload(
            service_account=ServiceAccount.from_row(issued.account),
            client_id=issued.account.client_id,
            client_secret=issued.client_secret,
        )

    return await mutate(info, CreateServiceAccountPayload, use_case)


async def rotate(
    info: strawberry.Info,
    input: Annotated[
        ServiceAccountIdInput, strawberry.argument(description="The service account.")
    ],
) -> RotateServiceAccountSecretPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RotateServiceAccountSecretPayload:
        issued = await service.rotate_secret(session, principal, meta, service_account_id=input.id)
        return RotateServiceAccountSecretPayload(
            service_account=ServiceAccount.from_row(issued.account),
            client_secret=issued.client_secret,
        )

    return await mutate(info, RotateServiceAccountSecretPayload, use_case)


async def revoke(
    info: strawberry.Info,
    input: Annotated[
        ServiceAccountIdInput, strawberry.argument(description="The service account.")
    ],
) -> RevokeServiceAccountPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RevokeServiceAccountPayload:
        account = await service.revoke(session, principal, meta, service_account_id=input.id)
        return RevokeServiceAccountPayload(
            revoked_service_account_id=strawberry.ID(str(account.id))
        )

    return await mutate(info, RevokeServiceAccountPayload, use_case)


@strawberry.type
class ServiceAccountQuery:
    service_accounts: ServiceAccountConnection = strawberry.field(
        resolver=service_accounts,
        description=(
            "Super Admin or Admin: the organization's live service accounts, oldest first, "
            "with when each last obtained a token."
        ),
    )


@strawberry.type
class ServiceAccountMutation:
    create_service_account: CreateServiceAccountPayload = strawberry.mutation(
        resolver=create,
        description=(
            "Super Admin or Admin: a service account acting in the organization with the role "
            "given (ADMIN or USER). Answers its client id and secret, shown this once. Audited."
        ),
    )
    rotate_service_account_secret: RotateServiceAccountSecretPayload = strawberry.mutation(
        resolver=rotate,
        description=(
            "Super Admin or Admin: replace a service account's secret (shown this once); the old "
            "secret and every token it obtained stop working at once. Audited."
        ),
    )
    revoke_service_account: RevokeServiceAccountPayload = strawberry.mutation(
        resolver=revoke,
        description=(
            "Super Admin or Admin: revoke a service account; its secret and tokens stop working "
            "at once. Audited."
        ),
    )
