"""Licenses and app tiles over GraphQL: arguments -> one domain call -> schema types.

Queries act in the viewer's working organization unless given ``organizationId``; mutations run
each in one unit of work (resolvers._payload maps expected failures to ``userErrors``).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.context import RequestMeta
from domain.errors import NotFound
from domain.licenses import catalog, queries, service
from resolvers._payload import mutate
from schema.arguments import ORGANIZATION
from schema.context import context_of
from schema.types.licenses import (
    AppTile,
    AttachLicenseInput,
    AttachLicensePayload,
    DetachLicenseInput,
    DetachLicensePayload,
    IssuedLicenseKey,
    IssueLicenseKeysInput,
    IssueLicenseKeysPayload,
    License,
    LicenseConnection,
    LicenseSummary,
    Product,
    RedeemLicenseKeyInput,
    RedeemLicenseKeyPayload,
    app_tiles_for,
    license_clock,
    licenses,
)

# --- queries -----------------------------------------------------------------------------------


async def license(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The license's id.")],
) -> License | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    try:
        license_id = parse_id(id, "license")
    except NotFound:
        return None
    clock = license_clock(ctx)
    async with ctx.services.db.read_session() as session:
        row = await queries.get_license(session, principal, license_id)
    return License.from_row(row, clock) if row is not None else None


async def license_summary(
    info: strawberry.Info, organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None
) -> LicenseSummary:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        counts = await queries.license_summary(
            session, principal, organization_id, license_clock(ctx)
        )
    return LicenseSummary.from_counts(counts)


async def app_tiles(
    info: strawberry.Info, organization_id: Annotated[strawberry.ID | None, ORGANIZATION] = None
) -> list[AppTile]:
    return await app_tiles_for(context_of(info), organization_id)


async def products(info: strawberry.Info) -> list[Product]:
    ctx = context_of(info)
    await ctx.principal()
    async with ctx.services.db.read_session() as session:
        entries = await catalog.app_tiles(session, None)
    return [Product.from_row(entry.product) for entry in entries]


@strawberry.type
class LicenseQuery:
    licenses: LicenseConnection = strawberry.field(
        resolver=licenses,
        description="The organization's licenses, filtered by status and product.",
    )
    license: License | None = strawberry.field(
        resolver=license, description="A license of an organization you may read, or null."
    )
    license_summary: LicenseSummary = strawberry.field(
        resolver=license_summary, description="Counts of the organization's licenses by status."
    )
    app_tiles: list[AppTile] = strawberry.field(
        resolver=app_tiles,
        description="The vendor's apps, each with whether the organization has unlocked it.",
    )
    products: list[Product] = strawberry.field(
        resolver=products, description="The catalog of products licenses are issued for."
    )


# --- mutations ---------------------------------------------------------------------------------


async def issue_license_keys(
    info: strawberry.Info,
    input: Annotated[
        IssueLicenseKeysInput,
        strawberry.argument(description="The product, term, seats and how many keys to issue."),
    ],
) -> IssueLicenseKeysPayload:
    clock = license_clock(context_of(info))

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> IssueLicenseKeysPayload:
        issued = await service.issue_license_keys(
            session,
            principal,
            product_key=input.product_key,
            term_days=input.term_days,
            seats=input.seats,
            count=input.count,
            meta=meta,
        )
        return IssueLicenseKeysPayload(
            license_keys=[
                IssuedLicenseKey(key=i.key, license=License.from_row(i.license, clock))
                for i in issued
            ]
        )

    return await mutate(info, IssueLicenseKeysPayload, use_case)


async def redeem_license_key(
    info: strawberry.Info,
    input: Annotated[
        RedeemLicenseKeyInput,
        strawberry.argument(description="The license key and the organization to add it to."),
    ],
) -> RedeemLicenseKeyPayload:
    ctx = context_of(info)
    clock = license_clock(ctx)
    settings = ctx.settings

    # Its own unit of work: a refused attempt is committed with its audit event first, then
    # becomes a userError (``unwrap``).
    async def use_case(principal: Principal) -> RedeemLicenseKeyPayload:
        async with ctx.services.db.unit_of_work() as session:
            redemption = await service.redeem_license_key(
                session,
                principal,
                key=input.key,
                organization_id=input.organization_id,
                meta=ctx.meta,
                limiter=ctx.services.limiter,
                limit=settings.rate_limit_license_redeem,
            )
        return RedeemLicenseKeyPayload(license=License.from_row(redemption.unwrap(), clock))

    return await mutate(info, RedeemLicenseKeyPayload, use_case, unit_of_work=False)


async def attach_license(
    info: strawberry.Info,
    input: Annotated[
        AttachLicenseInput,
        strawberry.argument(description="The license and the device to give a seat."),
    ],
) -> AttachLicensePayload:
    clock = license_clock(context_of(info))

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> AttachLicensePayload:
        row = await service.attach_license(
            session,
            principal,
            license_id=input.license_id,
            device_id=input.device_id,
            meta=meta,
        )
        return AttachLicensePayload(license=License.from_row(row, clock))

    return await mutate(info, AttachLicensePayload, use_case)


async def detach_license(
    info: strawberry.Info,
    input: Annotated[
        DetachLicenseInput,
        strawberry.argument(description="The license and the device whose seat to free."),
    ],
) -> DetachLicensePayload:
    clock = license_clock(context_of(info))

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> DetachLicensePayload:
        row = await service.detach_license(
            session,
            principal,
            license_id=input.license_id,
            device_id=input.device_id,
            meta=meta,
        )
        return DetachLicensePayload(license=License.from_row(row, clock))

    return await mutate(info, DetachLicensePayload, use_case)


@strawberry.type
class LicenseMutation:
    issue_license_keys: IssueLicenseKeysPayload = strawberry.mutation(
        resolver=issue_license_keys,
        description="INTERNAL_ADMIN. New license keys; each key is returned this once only.",
    )
    redeem_license_key: RedeemLicenseKeyPayload = strawberry.mutation(
        resolver=redeem_license_key,
        description="Add the license of a key to the organization (INVALID_LICENSE_KEY otherwise).",
    )
    attach_license: AttachLicensePayload = strawberry.mutation(
        resolver=attach_license,
        description="Give a device of the license's organization a seat; the first starts the term.",
    )
    detach_license: DetachLicensePayload = strawberry.mutation(
        resolver=detach_license, description="Free the device's seat (the term keeps running)."
    )
