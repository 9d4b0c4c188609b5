"""Mutation payloads shared by several mutations. Each carries ``userErrors``."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.types.partner_request import PartnerRequest


@strawberry.type(
    description=(
        "The request was taken. Deliberately the same whether or not an account exists for the "
        "email: what happened next is told to the mailbox."
    )
)
class AcceptedPayload:
    accepted: bool
    user_errors: list[UserError]

    @classmethod
    def ok(cls) -> AcceptedPayload:
        return cls(accepted=True, user_errors=[])

    @classmethod
    def failed(cls, errors: list[UserError]) -> AcceptedPayload:
        return cls(accepted=False, user_errors=errors)


@strawberry.type
class ActivateAccountPayload:
    activated: bool
    message: str | None = strawberry.field(
        description='On success: "Your account is verified successfully."'
    )
    user_errors: list[UserError]


@strawberry.type
class ResetPasswordPayload:
    reset: bool = strawberry.field(
        description="The password changed; every session and token of the account was ended."
    )
    message: str | None = strawberry.field(description="On success: what to do next.")
    user_errors: list[UserError]


@strawberry.type
class ReviewPartnerRequestPayload:
    partner_request: PartnerRequest | None
    user_errors: list[UserError]
