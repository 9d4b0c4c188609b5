"""The internal admins' own notification settings and the STEP code upload (thin: one domain
call each; the policy inside refuses everyone else with FORBIDDEN)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.admin import notifications
from domain.partners import step_codes
from resolvers._payload import in_unit_of_work, run_mutation
from resolvers.context import context_of
from schema.types.admin_tools import (
    AdminNotificationSettings,
    ImportStepPartnerCodesInput,
    ImportStepPartnerCodesPayload,
    StepCodeImportReport,
    UpdateAdminNotificationSettingsInput,
    UpdateAdminNotificationSettingsPayload,
)


async def admin_notification_settings(info: strawberry.Info) -> AdminNotificationSettings:
    ctx = context_of(info)
    principal = await ctx.principal()
    value = await notifications.get_settings(ctx.services.db, principal)
    return AdminNotificationSettings.from_domain(value)


async def update_admin_notification_settings(
    info: strawberry.Info,
    input: Annotated[
        UpdateAdminNotificationSettingsInput,
        strawberry.argument(description="The optional emails to get."),
    ],
) -> UpdateAdminNotificationSettingsPayload:
    run = await in_unit_of_work(
        info,
        lambda s, p, m: notifications.update_settings(
            s, p, partner_request_mail=input.partner_request_mail, meta=m
        ),
    )
    return await run_mutation(
        run,
        lambda value: UpdateAdminNotificationSettingsPayload(
            settings=AdminNotificationSettings.from_domain(value)
        ),
        lambda errors: UpdateAdminNotificationSettingsPayload(user_errors=errors),
    )


async def import_step_partner_codes(
    info: strawberry.Info,
    input: Annotated[
        ImportStepPartnerCodesInput,
        strawberry.argument(description="The code list, as `import-step-codes` reads it."),
    ],
) -> ImportStepPartnerCodesPayload:
    run = await in_unit_of_work(
        info,
        lambda s, p, m: step_codes.import_step_codes_csv(s, p, m, text=input.csv),
    )
    return await run_mutation(
        run,
        lambda report: ImportStepPartnerCodesPayload(
            report=StepCodeImportReport.from_domain(report)
        ),
        lambda errors: ImportStepPartnerCodesPayload(user_errors=errors),
    )


ADMIN_NOTIFICATION_SETTINGS = strawberry.field(
    resolver=admin_notification_settings,
    description="Internal admins: which optional emails you get (your own settings).",
)
UPDATE_ADMIN_NOTIFICATION_SETTINGS = strawberry.mutation(
    resolver=update_admin_notification_settings,
    description=(
        "Internal admins: turn your optional emails on or off (e.g. the mail about every new "
        "STEP partner request). Audited."
    ),
)
IMPORT_STEP_PARTNER_CODES = strawberry.mutation(
    resolver=import_step_partner_codes,
    description=(
        "Internal admins: add the codes of a CSV list (the `import-step-codes` format). Valid "
        "new codes are added; known or repeated ones are skipped; invalid lines are reported "
        "with the reason. INVALID_CSV (no header with `code`), CSV_TOO_LARGE, TOO_MANY_CODES "
        "refuse the whole file."
    ),
)
