"""Passkeys' GraphQL face (domain/passkeys): ``Passkey`` with ``Viewer.passkeys``' resolver, and the
inputs and payloads of the viewer's passkey mutations and of the organization's requirement
(resolvers/passkeys.py). ``Organization.requirePasskey`` lives on the organization."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import Passkey as PasskeyRow
from domain.passkeys.service import list_passkeys
from schema.context import context_of
from schema.errors import UserError
from schema.payloads import Payload
from schema.types.organizations import Organization

_USER_ERRORS = (
    "Expected failures, each with a stable code and the input it is about; empty on success."
)


@strawberry.type(
    description="A passkey (WebAuthn credential) of the viewer's account: it signs in without a "
    "password, or serves as the second factor after one."
)
class Passkey:
    id: strawberry.ID = strawberry.field(description="The passkey's id (for rename and remove).")
    name: str = strawberry.field(description="The name its owner gave it.")
    created_at: datetime = strawberry.field(description="When it was added.")
    last_used_at: datetime | None = strawberry.field(
        description="When it last signed in, or null if never."
    )
    synced: bool = strawberry.field(
        description="A synced passkey (backup eligible: copies of it live in the person's "
        "password manager or platform account), not bound to one device."
    )
    backed_up: bool = strawberry.field(description="The authenticator reports it backed up.")

    @classmethod
    def from_row(cls, row: PasskeyRow) -> Passkey:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            synced=row.backup_eligible,
            backed_up=row.backed_up,
        )


async def viewer_passkeys(info: strawberry.Info) -> list[Passkey]:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        rows = await list_passkeys(session, principal)
    return [Passkey.from_row(r) for r in rows]


# --- inputs and payloads of the mutations (resolvers/passkeys.py)


@strawberry.type(description="The options of a passkey registration, or why not.")
class StartPasskeyRegistrationPayload(Payload):
    options_json: str | None = strawberry.field(
        default=None,
        description="`PublicKeyCredentialCreationOptions` as JSON (binary values base64url), for "
        "`navigator.credentials.create()`. Its challenge is good once, for five minutes.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.input(description="The browser's answer to `startPasskeyRegistration`'s options.")
class FinishPasskeyRegistrationInput:
    credential: str = strawberry.field(
        description="The `PublicKeyCredential` that `navigator.credentials.create()` returned, as "
        "JSON (`toJSON()`: binary values base64url)."
    )
    name: str | None = strawberry.field(
        default=None, description='A name to tell it apart, e.g. "Work laptop" (at most 100).'
    )


@strawberry.type(description="The passkey added, or why not.")
class FinishPasskeyRegistrationPayload(Payload):
    passkey: Passkey | None = strawberry.field(default=None, description="The new passkey.")
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.input(description="A new name for one of the viewer's passkeys.")
class RenamePasskeyInput:
    id: strawberry.ID = strawberry.field(description="The passkey's id.")
    name: str = strawberry.field(description="The new name (at most 100 characters).")


@strawberry.type(description="The renamed passkey, or why not.")
class RenamePasskeyPayload(Payload):
    passkey: Passkey | None = strawberry.field(default=None, description="The passkey.")
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.input(description="One of the viewer's passkeys, to remove.")
class RemovePasskeyInput:
    id: strawberry.ID = strawberry.field(description="The passkey's id.")


@strawberry.type(description="Whether the passkey was removed, or why not.")
class RemovePasskeyPayload(Payload):
    removed_passkey_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the passkey removed."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.input(description="Whether an organization requires passkeys of its members.")
class SetOrganizationPasskeyRequirementInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The organization; the working organization when omitted."
    )
    required: bool = strawberry.field(
        description="True: members sign in with a passkey (those without one add one at their "
        "next login). False: any sign-in the organization otherwise allows."
    )


@strawberry.type(description="The organization with its requirement, or why not.")
class SetOrganizationPasskeyRequirementPayload(Payload):
    organization: Organization | None = strawberry.field(
        default=None, description="The organization."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)
