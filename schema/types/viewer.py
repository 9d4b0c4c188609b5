from __future__ import annotations

import strawberry

from schema.enums import Role
from schema.types.organization import Organization
from schema.types.user import User


@strawberry.type(
    description=(
        "The signed-in user. `organization` is the working organization: the first one joined "
        "unless the request names another in the `X-Organization-Id` header."
    )
)
class Viewer:
    user: User
    organization: Organization
    role: Role
    organizations: list[Organization]
    totp_enabled: bool = strawberry.field(
        description="The viewer's account logs in with a TOTP code after the password."
    )
