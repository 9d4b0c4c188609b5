"""Accounts' root fields (domain/accounts): ``viewer``; sign-up, resend and activation,
password reset (no token needed); the viewer's own profile, password and sessions."""

from __future__ import annotations

from typing import Annotated

import strawberry
from sqlalchemy.ext.asyncio import AsyncSession

from domain.accounts import service as accounts_service
from domain.accounts.activation import ACTIVATED_MESSAGE, activate_account
from domain.accounts.password_reset import (
    PASSWORD_RESET_MESSAGE,
    request_password_reset,
    reset_password,
)
from domain.accounts.registration import register_customer
from domain.accounts.resend import resend_activation
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.enums import Role
from domain.partners.access import technician_grant
from resolvers._payload import mutate
from schema.context import context_of
from schema.errors import forbidden
from schema.payloads import AcceptedPayload
from schema.types.accounts import (
    ActivateAccountInput,
    ActivateAccountPayload,
    ChangePasswordInput,
    ChangePasswordPayload,
    CreateCustomerOrganizationInput,
    EndOtherSessionsPayload,
    EndSessionInput,
    EndSessionPayload,
    ResetPasswordInput,
    ResetPasswordPayload,
    TechnicianAccess,
    UpdateProfileInput,
    UpdateProfilePayload,
    User,
    Viewer,
)
from schema.types.organizations import Organization


async def create_customer_organization(
    info: strawberry.Info,
    input: Annotated[
        CreateCustomerOrganizationInput,
        strawberry.argument(description="The customer information form and the two acceptances."),
    ],
) -> AcceptedPayload:
    ctx = context_of(info)

    async def use_case() -> AcceptedPayload:
        await register_customer(ctx.services, ctx.meta, input.to_domain())
        return AcceptedPayload(accepted=True)

    return await mutate(info, AcceptedPayload, use_case, anonymous=True)


async def resend_activation_email(
    info: strawberry.Info,
    email: Annotated[str, strawberry.argument(description="The email of the pending account.")],
) -> AcceptedPayload:
    ctx = context_of(info)

    async def use_case() -> AcceptedPayload:
        await resend_activation(ctx.services, ctx.meta, email)
        return AcceptedPayload(accepted=True)

    return await mutate(info, AcceptedPayload, use_case, anonymous=True)


async def activate(
    info: strawberry.Info,
    input: Annotated[
        ActivateAccountInput,
        strawberry.argument(description="The link's token, the emailed code and the new password."),
    ],
) -> ActivateAccountPayload:
    ctx = context_of(info)

    async def use_case() -> ActivateAccountPayload:
        await activate_account(
            ctx.services,
            token=input.token,
            code=input.code,
            new_password=input.new_password,
            meta=ctx.meta,
            first_name=input.first_name,
            last_name=input.last_name,
        )
        return ActivateAccountPayload(activated=True, message=ACTIVATED_MESSAGE)

    return await mutate(info, ActivateAccountPayload, use_case, anonymous=True)


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


async def request_reset(
    info: strawberry.Info,
    email: Annotated[str, strawberry.argument(description="The account's sign-in email.")],
) -> AcceptedPayload:
    ctx = context_of(info)

    async def use_case() -> AcceptedPayload:
        await request_password_reset(ctx.services, ctx.meta, email)
        return AcceptedPayload(accepted=True)

    return await mutate(info, AcceptedPayload, use_case, anonymous=True)


async def reset(
    info: strawberry.Info,
    input: Annotated[
        ResetPasswordInput,
        strawberry.argument(description="The emailed link's token and the new password."),
    ],
) -> ResetPasswordPayload:
    ctx = context_of(info)

    async def use_case() -> ResetPasswordPayload:
        await reset_password(
            ctx.services, token=input.token, new_password=input.new_password, meta=ctx.meta
        )
        return ResetPasswordPayload(reset=True, message=PASSWORD_RESET_MESSAGE)

    return await mutate(info, ResetPasswordPayload, use_case, anonymous=True)


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


async def update_profile(
    info: strawberry.Info,
    input: Annotated[UpdateProfileInput, strawberry.argument(description="The new names.")],
) -> UpdateProfilePayload:

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> UpdateProfilePayload:
        row = await accounts_service.update_profile(
            session, principal, meta, first_name=input.first_name, last_name=input.last_name
        )
        return UpdateProfilePayload(user=User.from_row(row))

    return await mutate(info, UpdateProfilePayload, use_case)


async def change_password(
    info: strawberry.Info,
    input: Annotated[
        ChangePasswordInput,
        strawberry.argument(description="The current password and the new one."),
    ],
) -> ChangePasswordPayload:
    ctx = context_of(info)

    async def use_case(principal: Principal) -> ChangePasswordPayload:
        await accounts_service.change_password(
            ctx.services,
            principal,
            current_password=input.current_password,
            new_password=input.new_password,
            meta=ctx.meta,
        )
        return ChangePasswordPayload(changed=True)

    return await mutate(info, ChangePasswordPayload, use_case, unit_of_work=False)


async def end_session(
    info: strawberry.Info,
    input: Annotated[EndSessionInput, strawberry.argument(description="The session to end.")],
) -> EndSessionPayload:

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> EndSessionPayload:
        ended = await accounts_service.end_session(session, principal, meta, str(input.id))
        return EndSessionPayload(ended_session_id=strawberry.ID(str(ended)))

    return await mutate(info, EndSessionPayload, use_case)


async def end_other_sessions(info: strawberry.Info) -> EndOtherSessionsPayload:

    async def use_case(
        session: AsyncSession, principal: Principal, meta: RequestMeta
    ) -> EndOtherSessionsPayload:
        count = await accounts_service.end_other_sessions(session, principal, meta)
        return EndOtherSessionsPayload(ended_count=count)

    return await mutate(info, EndOtherSessionsPayload, use_case)


@strawberry.type
class ProfileMutation:
    update_profile: UpdateProfilePayload = strawberry.mutation(
        resolver=update_profile,
        description="Set the viewer's own first and last name. Audited.",
    )
    change_password: ChangePasswordPayload = strawberry.mutation(
        resolver=change_password,
        description=(
            "Change the viewer's own password (the current one is asked again). Ends every "
            "other session and refresh token of the account and mails a notice; the caller's "
            "own session stays signed in, but the access token used here is refused from now "
            "on: get a new one with the session's refresh token."
        ),
    )
    end_session: EndSessionPayload = strawberry.mutation(
        resolver=end_session,
        description=(
            "Sign out one of the viewer's sessions (`viewer.sessions`): its tokens and the "
            "browser session it came from end. Audited."
        ),
    )
    end_other_sessions: EndOtherSessionsPayload = strawberry.mutation(
        resolver=end_other_sessions,
        description="Sign out every session of the viewer's except the caller's own. Audited.",
    )


async def viewer(info: strawberry.Info) -> Viewer:
    ctx = context_of(info)
    principal = await ctx.principal()
    working = principal.working_access
    if working is None:
        # A valid account with no usable organization (all suspended): nothing to work in.
        raise forbidden()
    user = await ctx.loaders.user_by_id.load(principal.user_id)
    organizations = await ctx.loaders.organization_by_id.load_many(list(principal.access))
    by_id = {org.id: org for org in organizations if org is not None}
    assert user is not None
    technician = None
    if working.role is Role.TECHNICIAN and working.via_mapping_id is not None:
        async with ctx.services.db.read_session() as session:
            grant = await technician_grant(session, working.via_mapping_id)
        if grant is not None:
            technician = TechnicianAccess(
                partner_name=grant.partner_name,
                partner_id=strawberry.ID(str(grant.partner_id)),
                scope=grant.scope,
                expires_at=grant.expires_at,
            )
    return Viewer(
        user=User.from_row(user),
        organization=Organization.from_row(by_id[working.organization_id]),
        role=working.role,
        organizations=[Organization.from_row(by_id[i]) for i in principal.access if i in by_id],
        technician_access=technician,
        totp_enabled=user.totp_enabled_at is not None,
    )


@strawberry.type
class ViewerQuery:
    viewer: Viewer = strawberry.field(resolver=viewer, description="Requires a bearer token.")
