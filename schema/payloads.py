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
    accepted: bool = strawberry.field(
        description="True when the request was taken (also when nothing was sent)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )

    @classmethod
    def ok(cls) -> AcceptedPayload:
        return cls(accepted=True, user_errors=[])

    @classmethod
    def failed(cls, errors: list[UserError]) -> AcceptedPayload:
        return cls(accepted=False, user_errors=errors)


@strawberry.type(description="Whether the account is active now, or why not.")
class ActivateAccountPayload:
    activated: bool = strawberry.field(
        description="True when the password was set and the account activated."
    )
    message: str | None = strawberry.field(
        description='On success: "Your account is verified successfully."'
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="Whether the password changed, or why not.")
class ResetPasswordPayload:
    reset: bool = strawberry.field(
        description="The password changed; every session and token of the account was ended."
    )
    message: str | None = strawberry.field(description="On success: what to do next.")
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )


@strawberry.type(description="The reviewed partner request, or why the review failed.")
class ReviewPartnerRequestPayload:
    partner_request: PartnerRequest | None = strawberry.field(
        description="The request, now APPROVED or REJECTED (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        description="Expected failures, each with a stable code and the input it is about; empty on success."
    )
