"""The viewer's TOTP two-factor settings and an organization's requirement
(domain/two_factor). Mutations only; ``Viewer.totpEnabled`` lives on the viewer."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.two_factor import account
from domain.two_factor.requirement import set_requirement
from resolvers._payload import mutate
from schema.context import context_of
from schema.types.organizations import Organization
from schema.types.two_factor import (
    ConfirmTotpEnrollmentInput,
    ConfirmTotpEnrollmentPayload,
    DisableTotpPayload,
    RegenerateRecoveryCodesPayload,
    SetOrganizationTwoFactorRequirementInput,
    SetOrganizationTwoFactorRequirementPayload,
    StartTotpEnrollmentInput,
    StartTotpEnrollmentPayload,
    TwoFactorProofInput,
)


async def start_totp_enrollment(
    info: strawberry.Info,
    input: Annotated[
        StartTotpEnrollmentInput,
        strawberry.argument(description="The account's password, asked again."),
    ],
) -> StartTotpEnrollmentPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> StartTotpEnrollmentPayload:
        e = await account.start_enrollment(
            ctx.services, principal, password=input.password, meta=ctx.meta
        )
        return StartTotpEnrollmentPayload(secret=e.secret, otpauth_uri=e.uri)

    return await mutate(info, StartTotpEnrollmentPayload, use_case, unit_of_work=False)


async def confirm_totp_enrollment(
    info: strawberry.Info,
    input: Annotated[
        ConfirmTotpEnrollmentInput,
        strawberry.argument(description="A current code of the new secret."),
    ],
) -> ConfirmTotpEnrollmentPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> ConfirmTotpEnrollmentPayload:
        codes = await account.confirm_enrollment(
            ctx.services, principal, code=input.code, meta=ctx.meta
        )
        return ConfirmTotpEnrollmentPayload(totp_enabled=True, recovery_codes=codes)

    return await mutate(info, ConfirmTotpEnrollmentPayload, use_case, unit_of_work=False)


async def disable_totp(
    info: strawberry.Info,
    input: Annotated[
        TwoFactorProofInput,
        strawberry.argument(description="A current code, a recovery code or the password."),
    ],
) -> DisableTotpPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> DisableTotpPayload:
        await account.disable(
            ctx.services, principal, code=input.code, password=input.password, meta=ctx.meta
        )
        return DisableTotpPayload(totp_enabled=False)

    return await mutate(info, DisableTotpPayload, use_case, unit_of_work=False)


async def regenerate_recovery_codes(
    info: strawberry.Info,
    input: Annotated[
        TwoFactorProofInput, strawberry.argument(description="A current code or the password.")
    ],
) -> RegenerateRecoveryCodesPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> RegenerateRecoveryCodesPayload:
        codes = await account.regenerate_recovery_codes(
            ctx.services, principal, code=input.code, password=input.password, meta=ctx.meta
        )
        return RegenerateRecoveryCodesPayload(recovery_codes=codes)

    return await mutate(info, RegenerateRecoveryCodesPayload, use_case, unit_of_work=False)


async def set_organization_two_factor_requirement(
    info: strawberry.Info,
    input: Annotated[
        SetOrganizationTwoFactorRequirementInput,
        strawberry.argument(
            description="Whether two-factor login is required, and of which organization."
        ),
    ],
) -> SetOrganizationTwoFactorRequirementPayload:

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> SetOrganizationTwoFactorRequirementPayload:
        row = await set_requirement(
            session,
            principal,
            organization_id=input.organization_id,
            required=input.required,
            meta=meta,
        )
        return SetOrganizationTwoFactorRequirementPayload(organization=Organization.from_row(row))

    return await mutate(info, SetOrganizationTwoFactorRequirementPayload, use_case)


@strawberry.type
class TwoFactorMutation:
    start_totp_enrollment: StartTotpEnrollmentPayload = strawberry.mutation(
        resolver=start_totp_enrollment,
        description=(
            "Begin setting up TOTP two-factor login for the viewer's own account (asks for the "
            "password). Returns the new secret once; it works only after "
            "`confirmTotpEnrollment`."
        ),
    )
    confirm_totp_enrollment: ConfirmTotpEnrollmentPayload = strawberry.mutation(
        resolver=confirm_totp_enrollment,
        description=(
            "Turn TOTP on with a current code of the new secret; returns ten recovery codes, "
            "shown only here."
        ),
    )
    disable_totp: DisableTotpPayload = strawberry.mutation(
        resolver=disable_totp,
        description="Turn TOTP off (a current code, a recovery code or the password).",
    )
    regenerate_recovery_codes: RegenerateRecoveryCodesPayload = strawberry.mutation(
        resolver=regenerate_recovery_codes,
        description="Replace the recovery codes (a current code or the password).",
    )
    set_organization_two_factor_requirement: SetOrganizationTwoFactorRequirementPayload = (
        strawberry.mutation(
            resolver=set_organization_two_factor_requirement,
            description=(
                "Super Admin: require two-factor login of every member (at their next login; "
                "members without TOTP must set it up first). The Super Admin's own account "
                "needs TOTP to turn this on."
            ),
        )
    )
