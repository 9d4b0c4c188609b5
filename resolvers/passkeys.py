"""The viewer's passkeys and an organization's passkey requirement (domain/passkeys). The
console (a BFF) calls these for its Account page: the ceremony's options and the browser's
answer pass through it, the challenge stays in the database."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import UserErrors
from domain.passkeys import requirement, service
from domain.passkeys.ceremony import RelyingParty
from resolvers._payload import in_unit_of_work, run_mutation, to_user_errors
from resolvers.context import context_of
from schema.types.organization import Organization
from schema.types.passkey import (
    FinishPasskeyRegistrationInput,
    FinishPasskeyRegistrationPayload,
    Passkey,
    RemovePasskeyInput,
    RemovePasskeyPayload,
    RenamePasskeyInput,
    RenamePasskeyPayload,
    SetOrganizationPasskeyRequirementInput,
    SetOrganizationPasskeyRequirementPayload,
    StartPasskeyRegistrationPayload,
)


def _rp(info: strawberry.Info) -> RelyingParty:
    return RelyingParty.of(context_of(info).services.settings.public_url)


async def viewer_passkeys(info: strawberry.Info) -> list[Passkey]:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        return [Passkey.from_row(p) for p in await service.list_passkeys(session, principal)]


async def start_passkey_registration(info: strawberry.Info) -> StartPasskeyRegistrationPayload:
    rp = _rp(info)
    return await run_mutation(
        await in_unit_of_work(info, lambda s, p, m: service.start_registration(s, p, m, rp=rp)),
        lambda options: StartPasskeyRegistrationPayload(options_json=options),
        lambda errors: StartPasskeyRegistrationPayload(user_errors=errors),
    )


async def finish_passkey_registration(
    info: strawberry.Info,
    input: Annotated[
        FinishPasskeyRegistrationInput,
        strawberry.argument(description="The browser's new credential and a name for it."),
    ],
) -> FinishPasskeyRegistrationPayload:
    rp, public_url = _rp(info), context_of(info).services.settings.public_url
    return await run_mutation(
        await in_unit_of_work(
            info,
            lambda s, p, m: service.finish_registration(
                s, p, m, rp=rp, credential=input.credential, name=input.name, public_url=public_url
            ),
        ),
        lambda row: (
            FinishPasskeyRegistrationPayload(user_errors=to_user_errors(row))
            if isinstance(row, UserErrors)
            else FinishPasskeyRegistrationPayload(passkey=Passkey.from_row(row))
        ),
        lambda errors: FinishPasskeyRegistrationPayload(user_errors=errors),
    )


async def rename_passkey(
    info: strawberry.Info,
    input: Annotated[RenamePasskeyInput, strawberry.argument(description="Which, and its name.")],
) -> RenamePasskeyPayload:
    return await run_mutation(
        await in_unit_of_work(
            info,
            lambda s, p, m: service.rename_passkey(s, p, m, id=str(input.id), name=input.name),
        ),
        lambda row: RenamePasskeyPayload(passkey=Passkey.from_row(row)),
        lambda errors: RenamePasskeyPayload(user_errors=errors),
    )


async def remove_passkey(
    info: strawberry.Info,
    input: Annotated[RemovePasskeyInput, strawberry.argument(description="Which passkey.")],
) -> RemovePasskeyPayload:
    public_url = context_of(info).services.settings.public_url
    return await run_mutation(
        await in_unit_of_work(
            info,
            lambda s, p, m: service.remove_passkey(
                s, p, m, id=str(input.id), public_url=public_url
            ),
        ),
        lambda row: RemovePasskeyPayload(removed_passkey_id=strawberry.ID(str(row.id))),
        lambda errors: RemovePasskeyPayload(user_errors=errors),
    )


async def set_organization_passkey_requirement(
    info: strawberry.Info,
    input: Annotated[
        SetOrganizationPasskeyRequirementInput,
        strawberry.argument(description="Which organization, and whether passkeys are required."),
    ],
) -> SetOrganizationPasskeyRequirementPayload:
    async def action(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> Organization:
        row = await requirement.set_requirement(
            session,
            principal,
            meta,
            organization_id=str(input.organization_id) if input.organization_id else None,
            required=input.required,
        )
        return Organization.from_row(row)

    return await run_mutation(
        await in_unit_of_work(info, action),
        lambda organization: SetOrganizationPasskeyRequirementPayload(organization=organization),
        lambda errors: SetOrganizationPasskeyRequirementPayload(user_errors=errors),
    )


@strawberry.type
class PasskeyMutation:
    start_passkey_registration: StartPasskeyRegistrationPayload = strawberry.mutation(
        resolver=start_passkey_registration,
        description="Begin adding a passkey to the viewer's own account: the options for "
        "`navigator.credentials.create()` (a discoverable credential, user verification "
        "required). `finishPasskeyRegistration` takes the browser's answer.",
    )
    finish_passkey_registration: FinishPasskeyRegistrationPayload = strawberry.mutation(
        resolver=finish_passkey_registration,
        description="Keep the passkey the browser created for `startPasskeyRegistration`'s "
        "options (checked: challenge, origin, RP id, user verification). Audited and mailed.",
    )
    rename_passkey: RenamePasskeyPayload = strawberry.mutation(
        resolver=rename_passkey, description="Rename one of the viewer's passkeys."
    )
    remove_passkey: RemovePasskeyPayload = strawberry.mutation(
        resolver=remove_passkey,
        description="Remove one of the viewer's passkeys (audited and mailed). Refused for the "
        "last one while an organization of the viewer requires passkeys.",
    )
    set_organization_passkey_requirement: SetOrganizationPasskeyRequirementPayload = (
        strawberry.mutation(
            resolver=set_organization_passkey_requirement,
            description="Super Admin: require members to sign in with a passkey (phishing-"
            "resistant; members without one add one at their next login). The Super Admin's "
            "own account needs a passkey to turn this on.",
        )
    )
