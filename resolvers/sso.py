"""Enterprise single sign-on: claimed domains, verification, the upstream provider (thin:
arguments → one call of domain/sso → types in schema/types/sso.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.sso import connections, probe, service
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
    RemoveDomainPayload,
    RemoveSingleSignOnPayload,
    SingleSignOn,
    SingleSignOnCheck,
    SingleSignOnConnection,
    TestSingleSignOnPayload,
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


async def remove_domain(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The claimed domain's id.")],
) -> RemoveDomainPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RemoveDomainPayload:
        removed = await service.remove_domain(session, principal, meta, domain_id=id)
        return RemoveDomainPayload(removed_domain_id=strawberry.ID(str(removed)))

    return await mutate(info, RemoveDomainPayload, use_case)


async def remove(
    info: strawberry.Info, organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None
) -> RemoveSingleSignOnPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RemoveSingleSignOnPayload:
        removed = await connections.remove_single_sign_on(
            session, principal, meta, organization_id=organization_id
        )
        return RemoveSingleSignOnPayload(removed_connection_id=strawberry.ID(str(removed)))

    return await mutate(info, RemoveSingleSignOnPayload, use_case)


async def test(
    info: strawberry.Info, organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None
) -> TestSingleSignOnPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> TestSingleSignOnPayload:
        checks = await probe.test_single_sign_on(
            ctx.services, principal, organization_id=organization_id
        )
        return TestSingleSignOnPayload(checks=[SingleSignOnCheck.from_check(c) for c in checks])

    # Several requests to the provider: no transaction is held open meanwhile.
    return await mutate(info, TestSingleSignOnPayload, use_case, unit_of_work=False)


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
    remove_domain: RemoveDomainPayload = strawberry.mutation(
        resolver=remove_domain,
        description=(
            "Super Admin of a customer organization: remove a claimed domain (verified or not). "
            "Its addresses no longer sign in through the organization's provider; another "
            "organization may then verify it. Audited."
        ),
    )
    remove_single_sign_on: RemoveSingleSignOnPayload = strawberry.mutation(
        resolver=remove,
        description=(
            "Super Admin of a customer organization: remove its OpenID provider connection. "
            "Nobody is sent to the provider any more; the domains' members sign in with a "
            "password again (who never had one sets it through password reset). The claimed "
            "domains stay. Audited."
        ),
    )
    test_single_sign_on: TestSingleSignOnPayload = strawberry.mutation(
        resolver=test,
        description=(
            "Super Admin of a customer organization: test its OpenID provider connection "
            "(discovery, endpoints, signing keys, client credentials, redirect URI) with "
            "requests to the provider; each check is explained in plain words. A mutation "
            "because it makes outbound requests; it changes nothing."
        ),
    )
