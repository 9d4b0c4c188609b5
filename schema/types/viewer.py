from __future__ import annotations

import strawberry

from resolvers.passkeys import viewer_passkeys
from schema.enums import Role
from schema.types.account_session import AccountSession, viewer_sessions
from schema.types.organization import Organization
from schema.types.passkey import Passkey
from schema.types.user import User


@strawberry.type(
    description=(
        "The signed-in user. `organization` is the working organization: the first one joined "
        "unless the request names another in the `X-Organization-Id` header."
    )
)
class Viewer:
    user: User = strawberry.field(description="The signed-in account.")
    organization: Organization = strawberry.field(
        description="The working organization: the first one joined, or the one the `X-Organization-Id` header names."
    )
    role: Role = strawberry.field(description="The viewer's role in the working organization.")
    organizations: list[Organization] = strawberry.field(
        description="Every organization the viewer belongs to (a customer account can belong to up to 50)."
    )
    totp_enabled: bool = strawberry.field(
        description="The viewer's account logs in with a TOTP code after the password."
    )
    passkeys: list[Passkey] = strawberry.field(
        resolver=viewer_passkeys,
        description="The account's passkeys, oldest first, with when each last signed in. "
        "`startPasskeyRegistration` adds one, `renamePasskey` / `removePasskey` change them.",
    )
    sessions: list[AccountSession] = strawberry.field(
        resolver=viewer_sessions,
        description="Where the account is signed in now (live grants), newest sign-in first; "
        "`current` marks the caller's own. `endSession` / `endOtherSessions` sign them out.",
    )
