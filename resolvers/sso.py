"""Enterprise single sign-on: claimed domains, verification, the upstream provider (thin:
arguments → one call of domain/sso → types in schema/types/sso.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.sso import connections, service
from domain.sso.federation import redirect_uri
from resolvers._payload import mutate
from schema.arguments import ORGANIZATION
from schema.context import context_of
from schema.types.sso import (
    ClaimDomainInput,
    ClaimDomainPayload,
    ClaimedDomain,
    ConfigureSingleSignOnInput,
    ConfigureSingleSignOnPayload,
    SingleSignOn,
    SingleSignOnConnection,
    VerifyDomainPayload,
)


async def single_sign_on(
    info: strawberry.Info, organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None
) -> SingleSignOn:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        domains = await service.list_domains(session, principal, organization_id=organization_id)
        row = await connections.connection_of(session, principal, organization_id=organization_id)
    return SingleSignOn(
        redirect_uri=redirect_uri(ctx.settings.public_url),
        domains=[ClaimedDomain.from_row(domain) for domain in domains],
        connection=SingleSignOnConnection.from_row(row) if row is not None else None,
    )


async def claim(
    info: strawberry.Info,
    input: Annotated[
        ClaimDomainInput, strawberry.argument(description="The organization and the domain.")
    ],
) -> ClaimDomainPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> ClaimDomainPayload:
        row = await service.claim_domain(
            session, principal, meta, organization_id=input.organization_id, domain=input.domain
        )
        return ClaimDomainPayload(domain=ClaimedDomain.from_row(row))

    return await mutate(info, ClaimDomainPayload, use_case)


async def verify(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The claimed domain's id.")],
) -> VerifyDomainPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> VerifyDomainPayload:
        row = await service.verify_domain(ctx.services, principal, ctx.meta, domain_id=id)
        return VerifyDomainPayload(domain=ClaimedDomain.from_row(row))

    # DNS may take seconds: the use case opens its transactions around the lookup.
    return await mutate(info, VerifyDomainPayload, use_case, unit_of_work=False)


async def configure(
    info: strawberry.Info,
    input: Annotated[
        ConfigureSingleSignOnInput,
        strawberry.argument(description="The provider's issuer and the portal's credentials."),
    ],
) -> ConfigureSingleSignOnPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> ConfigureSingleSignOnPayload:
        row = await connections.configure_single_sign_on(
            ctx.services,
            principal,
            ctx.meta,
            organization_id=input.organization_id,
            issuer=input.issuer,
            client_id=input.client_id,
            client_secret=input.client_secret,
            groups_claim=input.groups_claim,
            group_roles=[(g.group, g.role) for g in input.group_roles or ()],
            enforced=input.enforced,
        )
        return ConfigureSingleSignOnPayload(connection=SingleSignOnConnection.from_row(row))

    # The discovery document is fetched outside any transaction.
    return await mutate(info, ConfigureSingleSignOnPayload, use_case, unit_of_work=False)


@strawberry.type
class SingleSignOnQuery:
    single_sign_on: SingleSignOn = strawberry.field(
        resolver=single_sign_on,
        description=(
            "Super Admin of a customer organization: its claimed email domains and its OpenID "
            "provider (default: the working organization)."
        ),
    )


@strawberry.type
class SingleSignOnMutation:
    claim_domain: ClaimDomainPayload = strawberry.mutation(
        resolver=claim,
        description=(
            "Super Admin of a customer organization: claim an email domain for single sign-on. "
            "Answers the TXT record that proves it (claiming again answers the same claim). "
            "Public mail domains and domains another organization verified are refused. Audited."
        ),
    )
    verify_domain: VerifyDomainPayload = strawberry.mutation(
        resolver=verify,
        description=(
            "Super Admin: look the claimed domain's TXT record up in DNS and, when it carries the "
            "value shown, mark the domain verified: from then on its addresses sign in through "
            "the organization's provider. Audited."
        ),
    )
    configure_single_sign_on: ConfigureSingleSignOnPayload = strawberry.mutation(
        resolver=configure,
        description=(
            "Super Admin of a customer organization: connect its OpenID provider (the issuer is "
            "discovered; the provider's redirect URI is {PORTAL_PUBLIC_URL}/sso/callback). "
            "Configuring again replaces it. Audited; the secret is never shown again."
        ),
    )
