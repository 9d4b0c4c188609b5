"""Mutation payloads shared by several mutations. Each carries ``userErrors``."""

from __future__ import annotations

import strawberry

from schema.errors import UserError


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
