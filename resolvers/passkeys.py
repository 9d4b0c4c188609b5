"""The viewer's passkeys and an organization's passkey requirement (domain/passkeys). The
console (a BFF) calls these for its Account page: the ceremony's options and the browser's
answer pass through it, the challenge stays in the database. ``Viewer.passkeys`` is read in
schema/types/passkeys.py."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.errors import UserErrors
from domain.passkeys import service
from domain.passkeys.ceremony import RelyingParty
from domain.passkeys.requirement import set_requirement
from resolvers._payload import mutate
from schema.context import context_of
from schema.scope import object_id
from schema.types.organizations import Organization
from schema.types.passkeys import (
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

ID_FIELD = ("input", "id")


def _rp(info: strawberry.Info) -> RelyingParty:
    return RelyingParty.of(context_of(info).services.settings.public_url)


async def start_passkey_registration(info: strawberry.Info) -> StartPasskeyRegistrationPayload:
    rp = _rp(info)

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> StartPasskeyRegistrationPayload:
        options = await service.start_registration(session, principal, meta, rp=rp)
        return StartPasskeyRegistrationPayload(options_json=options)

    return await mutate(info, StartPasskeyRegistrationPayload, use_case)


async def finish_passkey_registration(
    info: strawberry.Info,
    input: Annotated[
        FinishPasskeyRegistrationInput,
        strawberry.argument(description="The browser's new credential and a name for it."),
    ],
) -> FinishPasskeyRegistrationPayload:
    rp, public_url = _rp(info), context_of(info).services.settings.public_url

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> FinishPasskeyRegistrationPayload:
        row = await service.finish_registration(
            session,
            principal,
            meta,
            rp=rp,
            credential=input.credential,
            name=input.name,
            public_url=public_url,
        )
        # A refusal after the challenge was spent is returned, not raised: the unit of work
        # commits the spent challenge and the audit event (domain/passkeys/service.py).
        if isinstance(row, UserErrors):
            return FinishPasskeyRegistrationPayload.refused(row)
        return FinishPasskeyRegistrationPayload(passkey=Passkey.from_row(row))

    return await mutate(info, FinishPasskeyRegistrationPayload, use_case)


async def rename_passkey(
    info: strawberry.Info,
    input: Annotated[RenamePasskeyInput, strawberry.argument(description="Which, and its name.")],
) -> RenamePasskeyPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RenamePasskeyPayload:
        passkey_id = object_id(input.id, "passkey", ID_FIELD)
        row = await service.rename_passkey(session, principal, meta, passkey_id, name=input.name)
        return RenamePasskeyPayload(passkey=Passkey.from_row(row))

    return await mutate(info, RenamePasskeyPayload, use_case)


async def remove_passkey(
    info: strawberry.Info,
    input: Annotated[RemovePasskeyInput, strawberry.argument(description="Which passkey.")],
) -> RemovePasskeyPayload:
    public_url = context_of(info).services.settings.public_url

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> RemovePasskeyPayload:
        passkey_id = object_id(input.id, "passkey", ID_FIELD)
        row = await service.remove_passkey(
            session, principal, meta, passkey_id, public_url=public_url
        )
        return RemovePasskeyPayload(removed_passkey_id=strawberry.ID(str(row.id)))

    return await mutate(info, RemovePasskeyPayload, use_case)


async def set_organization_passkey_requirement(
    info: strawberry.Info,
    input: Annotated[
        SetOrganizationPasskeyRequirementInput,
        strawberry.argument(description="Which organization, and whether passkeys are required."),
    ],
) -> SetOrganizationPasskeyRequirementPayload:
    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> SetOrganizationPasskeyRequirementPayload:
        row = await set_requirement(
            session,
            principal,
            meta,
            organization_id=input.organization_id,
            required=input.required,
        )
        return SetOrganizationPasskeyRequirementPayload(organization=Organization.from_row(row))

    return await mutate(info, SetOrganizationPasskeyRequirementPayload, use_case)


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
