"""Inputs and payloads of the two-factor mutations (resolvers/two_factor.py)."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.types.organization import Organization


@strawberry.input(description="Starting TOTP enrollment asks for the account's password again.")
class StartTotpEnrollmentInput:
    password: str


@strawberry.type
class StartTotpEnrollmentPayload:
    secret: str | None = strawberry.field(
        default=None,
        description="The new secret in base32, for typing into an authenticator app. Shown once.",
    )
    otpauth_uri: str | None = strawberry.field(
        default=None,
        description='The `otpauth://totp/…` URI (issuer "Cloud Portal", the email as account), '
        "for a QR code.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class ConfirmTotpEnrollmentInput:
    code: str = strawberry.field(description="The current six-digit code of the new secret.")


@strawberry.type
class ConfirmTotpEnrollmentPayload:
    totp_enabled: bool = False
    recovery_codes: list[str] | None = strawberry.field(
        default=None,
        description="Ten single-use recovery codes. Shown only here: keep them somewhere safe.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(
    description="A current code from the authenticator app (or a recovery code, which is spent), "
    "or the account's password."
)
class TwoFactorProofInput:
    code: str | None = None
    password: str | None = None


@strawberry.type
class DisableTotpPayload:
    totp_enabled: bool = strawberry.field(description="False once TOTP is off.")
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.type
class RegenerateRecoveryCodesPayload:
    recovery_codes: list[str] | None = strawberry.field(
        default=None, description="Ten new recovery codes; the earlier ones stop working."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class SetOrganizationTwoFactorRequirementInput:
    required: bool
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Default: the working organization."
    )


@strawberry.type
class SetOrganizationTwoFactorRequirementPayload:
    organization: Organization | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
