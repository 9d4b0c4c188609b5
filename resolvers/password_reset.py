"""Forgotten password: ``requestPasswordReset`` and ``resetPassword`` (no token needed)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.accounts.password_reset import (
    PASSWORD_RESET_MESSAGE,
    request_password_reset,
    reset_password,
)
from resolvers._payload import run_accepted, run_mutation
from resolvers.context import context_of
from schema.inputs.password_reset import ResetPasswordInput
from schema.payloads import AcceptedPayload, ResetPasswordPayload


async def request_reset(
    info: strawberry.Info,
    email: Annotated[str, strawberry.argument(description="The account's sign-in email.")],
) -> AcceptedPayload:
    ctx = context_of(info)
    return await run_accepted(lambda: request_password_reset(ctx.services, ctx.meta, email))


async def reset(
    info: strawberry.Info,
    input: Annotated[
        ResetPasswordInput,
        strawberry.argument(description="The emailed link's token and the new password."),
    ],
) -> ResetPasswordPayload:
    ctx = context_of(info)
    return await run_mutation(
        lambda: reset_password(
            ctx.services, token=input.token, new_password=input.new_password, meta=ctx.meta
        ),
        lambda _: ResetPasswordPayload(reset=True, message=PASSWORD_RESET_MESSAGE, user_errors=[]),
        lambda errors: ResetPasswordPayload(reset=False, message=None, user_errors=errors),
    )


@strawberry.type
class PasswordResetMutation:
    request_password_reset: AcceptedPayload = strawberry.mutation(
        resolver=request_reset,
        description=(
            "Email a single-use password reset link (a pending account gets its activation email "
            "again). The answer is the same whether or not the email has an account."
        ),
    )
    reset_password: ResetPasswordPayload = strawberry.mutation(
        resolver=reset,
        description=(
            "Set a new password with the emailed link's token. Ends every session and refresh "
            "token of the account and mails a notice."
        ),
    )
