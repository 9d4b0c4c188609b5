"""Two-factor's GraphQL face (domain/two_factor): the inputs and payloads of the TOTP
mutations and of the organization's requirement (``Viewer.totpEnabled`` lives on the viewer)."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.payloads import Payload
from schema.types.organizations import Organization


@strawberry.input(description="Starting TOTP enrollment asks for the account's password again.")
class StartTotpEnrollmentInput:
    password: str = strawberry.field(description="The account's current password.")


@strawberry.type(description="The new TOTP secret, shown once, or why not.")
class StartTotpEnrollmentPayload(Payload):
    secret: str | None = strawberry.field(
        default=None,
        description="The new secret in base32, for typing into an authenticator app. Shown once.",
    )
    otpauth_uri: str | None = strawberry.field(
        default=None,
        description='The `otpauth://totp/…` URI (issuer "Cloud Portal", the email as account), '
        "for a QR code.",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="A code that proves the authenticator app holds the new secret.")
class ConfirmTotpEnrollmentInput:
    code: str = strawberry.field(description="The current six-digit code of the new secret.")


@strawberry.type(description="Whether TOTP is on now, with the recovery codes.")
class ConfirmTotpEnrollmentPayload(Payload):
    totp_enabled: bool = strawberry.field(
        default=False, description="True once TOTP is on for the account."
    )
    recovery_codes: list[str] | None = strawberry.field(
        default=None,
        description="Ten single-use recovery codes. Shown only here: keep them somewhere safe.",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(
    description="A current code from the authenticator app (or a recovery code, which is spent), "
    "or the account's password."
)
class TwoFactorProofInput:
    code: str | None = strawberry.field(
        default=None, description="A current six-digit code, or a recovery code (spent on use)."
    )
    password: str | None = strawberry.field(
        default=None, description="The account's password, instead of a code."
    )


@strawberry.type(description="Whether TOTP is still on, or why it could not be turned off.")
class DisableTotpPayload(Payload):
    totp_enabled: bool = strawberry.field(default=False, description="False once TOTP is off.")
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )

    @classmethod
    def failed(cls, errors: list[UserError]) -> DisableTotpPayload:
        # Refused: whatever it was, it is still on (or was never on: TOTP_NOT_ENABLED).
        enabled = not any(e.code == "TOTP_NOT_ENABLED" for e in errors)
        return cls(totp_enabled=enabled, user_errors=errors)


@strawberry.type(description="The new recovery codes, or why not.")
class RegenerateRecoveryCodesPayload(Payload):
    recovery_codes: list[str] | None = strawberry.field(
        default=None, description="Ten new recovery codes; the earlier ones stop working."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="Whether an organization requires two-factor login.")
class SetOrganizationTwoFactorRequirementInput:
    required: bool = strawberry.field(
        description="True: members must sign in with TOTP; false: optional."
    )
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the working organization."
    )


@strawberry.type(description="The organization with its new requirement, or why not.")
class SetOrganizationTwoFactorRequirementPayload(Payload):
    organization: Organization | None = strawberry.field(
        default=None, description="The organization after the change (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )
