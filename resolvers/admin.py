"""The internal admin console over GraphQL: organizations (search, one in full, suspend,
reactivate), the STEP partner-code registry (add, upload a CSV list, revoke) and the internal
admin's own notification settings. Internal admins only — the domain asks the policy
(``require_global``) before anything else, so everyone else gets ``FORBIDDEN``.

Queries open their own read sessions; each mutation runs in one unit of work and its expected
failures become ``userErrors`` (resolvers._payload).
"""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.admin import notifications
from domain.admin import service as admin_service
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.partners import step_codes
from resolvers._payload import mutate
from schema.arguments import AFTER, FIRST
from schema.context import context_of
from schema.enums import OrganizationStatus, OrganizationType, StepCodeStatus
from schema.paging import check_search, page_args
from schema.relay import make_connection
from schema.types.admin import (
    AddStepPartnerCodesInput,
    AddStepPartnerCodesPayload,
    AdminNotificationSettings,
    AdminOrganization,
    AdminOrganizationConnection,
    ImportStepPartnerCodesInput,
    ImportStepPartnerCodesPayload,
    OrganizationSuspensionPayload,
    ReactivateOrganizationInput,
    RevokeStepPartnerCodeInput,
    RevokeStepPartnerCodePayload,
    StepCodeImportReport,
    StepPartnerCode,
    StepPartnerCodeConnection,
    SuspendOrganizationInput,
    UpdateAdminNotificationSettingsInput,
    UpdateAdminNotificationSettingsPayload,
    admin_notification_settings,
)

# --- queries -----------------------------------------------------------------------------------


async def organizations_(
    info: strawberry.Info,
    search: Annotated[
        str | None,
        strawberry.argument(
            description="Part of the name, of a member's email or of a partner's STEP code, or the organization's id (at most 200 characters)."
        ),
    ] = None,
    type: Annotated[
        OrganizationType | None, strawberry.argument(description="Only organizations of this kind.")
    ] = None,
    status: Annotated[
        OrganizationStatus | None,
        strawberry.argument(description="Only organizations in this status."),
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> AdminOrganizationConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    check_search(search)
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    async with ctx.services.db.read_session() as session:
        rows, where = await admin_service.search_organizations(
            session, principal, search=search, kind=type, status=status, page=page
        )

    async def count() -> int:
        async with ctx.services.db.read_session() as session:
            return await admin_service.count_organizations(session, where)

    return make_connection(AdminOrganizationConnection, rows, AdminOrganization.from_row, count)


async def organization_(
    info: strawberry.Info,
    id: Annotated[strawberry.ID, strawberry.argument(description="The organization's id.")],
) -> AdminOrganization | None:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        row = await admin_service.get_organization(session, principal, str(id))
    return AdminOrganization.from_row(row) if row is not None else None


async def step_partner_codes(
    info: strawberry.Info,
    search: Annotated[
        str | None,
        strawberry.argument(
            description="Part of the code or of the company name (at most 200 characters)."
        ),
    ] = None,
    status: Annotated[
        StepCodeStatus | None, strawberry.argument(description="Only codes in this status.")
    ] = None,
    first: Annotated[int | None, FIRST] = None,
    after: Annotated[str | None, AFTER] = None,
) -> StepPartnerCodeConnection:
    ctx = context_of(info)
    principal = await ctx.principal()
    check_search(search)
    page = page_args(first, after, maximum=ctx.settings.graphql_max_page_size)
    async with ctx.services.db.read_session() as session:
        rows = await step_codes.list_step_codes(
            session, principal, search=search, status=status, page=page
        )

    async def count() -> int:
        async with ctx.services.db.read_session() as session:
            return await step_codes.count_step_codes(session, search=search, status=status)

    return make_connection(StepPartnerCodeConnection, rows, StepPartnerCode.from_row, count)


@strawberry.type
class AdminQuery:
    organizations: AdminOrganizationConnection = strawberry.field(
        resolver=organizations_,
        description=(
            "Internal admins: every organization, newest first. `search` matches part of the "
            "name, of a member's email or of a partner's STEP code, or the id; `type` and "
            "`status` narrow it."
        ),
    )
    organization: AdminOrganization | None = strawberry.field(
        resolver=organization_,
        description="Internal admins: one organization in full (null when there is none).",
    )
    admin_notification_settings: AdminNotificationSettings = strawberry.field(
        resolver=admin_notification_settings,
        description="Internal admins: which optional emails you get (your own settings).",
    )
    step_partner_codes: StepPartnerCodeConnection = strawberry.field(
        resolver=step_partner_codes,
        description=(
            "Internal admins: the STEP partner-code registry, newest first; `search` matches part "
            "of the code or of the company."
        ),
    )


# --- mutations ---------------------------------------------------------------------------------


async def suspend_organization(
    info: strawberry.Info,
    input: Annotated[
        SuspendOrganizationInput,
        strawberry.argument(description="The organization and the reason."),
    ],
) -> OrganizationSuspensionPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> OrganizationSuspensionPayload:
        row = await admin_service.suspend_organization(
            session,
            principal,
            meta,
            organization_id=str(input.organization_id),
            reason=input.reason,
        )
        return OrganizationSuspensionPayload(organization=AdminOrganization.from_row(row))

    return await mutate(info, OrganizationSuspensionPayload, use_case)


async def reactivate_organization(
    info: strawberry.Info,
    input: Annotated[
        ReactivateOrganizationInput, strawberry.argument(description="The suspended organization.")
    ],
) -> OrganizationSuspensionPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> OrganizationSuspensionPayload:
        row = await admin_service.reactivate_organization(
            session, principal, meta, organization_id=str(input.organization_id)
        )
        return OrganizationSuspensionPayload(organization=AdminOrganization.from_row(row))

    return await mutate(info, OrganizationSuspensionPayload, use_case)


async def add_step_partner_codes(
    info: strawberry.Info,
    input: Annotated[
        AddStepPartnerCodesInput, strawberry.argument(description="The codes to add (1 to 500).")
    ],
) -> AddStepPartnerCodesPayload:
    codes = [item.to_domain() for item in input.codes]

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> AddStepPartnerCodesPayload:
        rows = await step_codes.create_step_codes(session, principal, meta, codes)
        return AddStepPartnerCodesPayload(
            step_partner_codes=[StepPartnerCode.from_row(row) for row in rows]
        )

    return await mutate(info, AddStepPartnerCodesPayload, use_case)


async def revoke_step_partner_code(
    info: strawberry.Info,
    input: Annotated[
        RevokeStepPartnerCodeInput, strawberry.argument(description="The code to revoke.")
    ],
) -> RevokeStepPartnerCodePayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RevokeStepPartnerCodePayload:
        row = await step_codes.revoke_step_code(session, principal, meta, code_id=str(input.id))
        return RevokeStepPartnerCodePayload(step_partner_code=StepPartnerCode.from_row(row))

    return await mutate(info, RevokeStepPartnerCodePayload, use_case)


async def import_step_partner_codes(
    info: strawberry.Info,
    input: Annotated[
        ImportStepPartnerCodesInput,
        strawberry.argument(description="The code list, as `import-step-codes` reads it."),
    ],
) -> ImportStepPartnerCodesPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> ImportStepPartnerCodesPayload:
        report = await step_codes.import_step_codes_csv(session, principal, meta, text=input.csv)
        return ImportStepPartnerCodesPayload(report=StepCodeImportReport.from_domain(report))

    return await mutate(info, ImportStepPartnerCodesPayload, use_case)


async def update_admin_notification_settings(
    info: strawberry.Info,
    input: Annotated[
        UpdateAdminNotificationSettingsInput,
        strawberry.argument(description="The optional emails to get."),
    ],
) -> UpdateAdminNotificationSettingsPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> UpdateAdminNotificationSettingsPayload:
        value = await notifications.update_settings(
            session, principal, partner_request_mail=input.partner_request_mail, meta=meta
        )
        return UpdateAdminNotificationSettingsPayload(
            settings=AdminNotificationSettings.from_domain(value)
        )

    return await mutate(info, UpdateAdminNotificationSettingsPayload, use_case)


@strawberry.type
class AdminMutation:
    suspend_organization: OrganizationSuspensionPayload = strawberry.mutation(
        resolver=suspend_organization,
        description=(
            "Internal admins: suspend a customer or partner organization. Its members can no "
            "longer sign in, refresh or use their tokens (from their very next request); a "
            "partner's technicians lose its customers. ALREADY_SUSPENDED when it is."
        ),
    )
    reactivate_organization: OrganizationSuspensionPayload = strawberry.mutation(
        resolver=reactivate_organization,
        description=(
            "Internal admins: lift a suspension; everything is as it was. NOT_SUSPENDED when it "
            "is not suspended."
        ),
    )
    add_step_partner_codes: AddStepPartnerCodesPayload = strawberry.mutation(
        resolver=add_step_partner_codes,
        description=(
            "Internal admins: add STEP partner codes (given or generated). A code that exists "
            "or is given twice is DUPLICATE_STEP_CODE, and nothing is added."
        ),
    )
    import_step_partner_codes: ImportStepPartnerCodesPayload = strawberry.mutation(
        resolver=import_step_partner_codes,
        description=(
            "Internal admins: add the codes of a CSV list (the `import-step-codes` format). Valid "
            "new codes are added; known or repeated ones are skipped; invalid lines are reported "
            "with the reason. INVALID_CSV (no header with `code`), CSV_TOO_LARGE, TOO_MANY_CODES "
            "refuse the whole file."
        ),
    )
    update_admin_notification_settings: UpdateAdminNotificationSettingsPayload = (
        strawberry.mutation(
            resolver=update_admin_notification_settings,
            description=(
                "Internal admins: turn your optional emails on or off (e.g. the mail about every "
                "new STEP partner request). Audited."
            ),
        )
    )
    revoke_step_partner_code: RevokeStepPartnerCodePayload = strawberry.mutation(
        resolver=revoke_step_partner_code,
        description=(
            "Internal admins: revoke an unused STEP partner code (STEP_CODE_IN_USE once it made "
            "a partner organization; ALREADY_REVOKED when it is)."
        ),
    )
