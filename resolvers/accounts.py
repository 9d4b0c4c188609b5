"""Sign-up, resend and activation mutations (no token needed)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.accounts.activation import ACTIVATED_MESSAGE, activate_account
from domain.accounts.registration import register_customer
from domain.accounts.resend import resend_activation
from resolvers._payload import run_accepted, run_mutation
from resolvers.context import context_of
from schema.inputs.signup import ActivateAccountInput, CreateCustomerOrganizationInput
from schema.payloads import AcceptedPayload, ActivateAccountPayload


async def create_customer_organization(
    info: strawberry.Info,
    input: Annotated[
        CreateCustomerOrganizationInput,
        strawberry.argument(description="The customer information form and the two acceptances."),
    ],
) -> AcceptedPayload:
    ctx = context_of(info)
    return await run_accepted(lambda: register_customer(ctx.services, ctx.meta, input.to_domain()))


async def resend_activation_email(
    info: strawberry.Info,
    email: Annotated[str, strawberry.argument(description="The email of the pending account.")],
) -> AcceptedPayload:
    ctx = context_of(info)
    return await run_accepted(lambda: resend_activation(ctx.services, ctx.meta, email))


async def activate(
    info: strawberry.Info,
    input: Annotated[
        ActivateAccountInput,
        strawberry.argument(description="The link's token, the emailed code and the new password."),
    ],
) -> ActivateAccountPayload:
    ctx = context_of(info)
    return await run_mutation(
        lambda: activate_account(
            ctx.services,
            token=input.token,
            code=input.code,
            new_password=input.new_password,
            meta=ctx.meta,
            first_name=input.first_name,
            last_name=input.last_name,
        ),
        lambda _: ActivateAccountPayload(activated=True, message=ACTIVATED_MESSAGE, user_errors=[]),
        lambda errors: ActivateAccountPayload(activated=False, message=None, user_errors=errors),
    )


@strawberry.type
class AccountsMutation:
    create_customer_organization: AcceptedPayload = strawberry.mutation(
        resolver=create_customer_organization,
        description=(
            '"Create an Organization now": a pending organization whose Super Admin is the '
            "email given, and an activation email. The answer is the same for a known email."
        ),
    )
    resend_activation: AcceptedPayload = strawberry.mutation(
        resolver=resend_activation_email,
        description=(
            "Send a new activation email (the previous link and code stop working). The answer "
            "is the same whether or not the email has an account."
        ),
    )
    activate_account: ActivateAccountPayload = strawberry.mutation(
        resolver=activate,
        description=(
            "Set the password with the emailed link's token and code; activates the account."
        ),
    )
