"""The viewer's own account: ``updateProfile`` and ``changePassword`` (domain/accounts/service.py)."""

from __future__ import annotations

from typing import Annotated

import strawberry

from domain.accounts import service as accounts_service
from resolvers._payload import in_unit_of_work, run_mutation
from resolvers.context import context_of
from schema.inputs.profile import (
    ChangePasswordInput,
    ChangePasswordPayload,
    EndOtherSessionsPayload,
    EndSessionInput,
    EndSessionPayload,
    UpdateProfileInput,
    UpdateProfilePayload,
)
from schema.types.user import User


async def update_profile(
    info: strawberry.Info,
    input: Annotated[UpdateProfileInput, strawberry.argument(description="The new names.")],
) -> UpdateProfilePayload:
    return await run_mutation(
        await in_unit_of_work(
            info,
            lambda s, p, m: accounts_service.update_profile(
                s, p, m, first_name=input.first_name, last_name=input.last_name
            ),
        ),
        lambda row: UpdateProfilePayload(user=User.from_row(row)),
        lambda errors: UpdateProfilePayload(user_errors=errors),
    )


async def change_password(
    info: strawberry.Info,
    input: Annotated[
        ChangePasswordInput,
        strawberry.argument(description="The current password and the new one."),
    ],
) -> ChangePasswordPayload:
    ctx = context_of(info)
    principal = await ctx.principal()
    return await run_mutation(
        lambda: accounts_service.change_password(
            ctx.services,
            principal,
            current_password=input.current_password,
            new_password=input.new_password,
            meta=ctx.meta,
        ),
        lambda _: ChangePasswordPayload(changed=True),
        lambda errors: ChangePasswordPayload(user_errors=errors),
    )


async def end_session(
    info: strawberry.Info,
    input: Annotated[EndSessionInput, strawberry.argument(description="The session to end.")],
) -> EndSessionPayload:
    return await run_mutation(
        await in_unit_of_work(
            info, lambda s, p, m: accounts_service.end_session(s, p, m, str(input.id))
        ),
        lambda ended: EndSessionPayload(ended_session_id=strawberry.ID(str(ended))),
        lambda errors: EndSessionPayload(user_errors=errors),
    )


async def end_other_sessions(info: strawberry.Info) -> EndOtherSessionsPayload:
    return await run_mutation(
        await in_unit_of_work(info, accounts_service.end_other_sessions),
        lambda count: EndOtherSessionsPayload(ended_count=count),
        lambda errors: EndOtherSessionsPayload(user_errors=errors),
    )


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
