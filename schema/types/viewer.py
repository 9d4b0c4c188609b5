from __future__ import annotations

from datetime import datetime

import strawberry

from schema.enums import PartnerAccessScope, Role
from schema.types.account_session import AccountSession, viewer_sessions
from schema.types.organization import Organization
from schema.types.user import User


@strawberry.type(
    description=(
        "How a technician reaches the working organization: through its partner, under the "
        "customer's grant."
    )
)
class TechnicianAccess:
    partner_name: str = strawberry.field(
        description="The partner organization the viewer works for."
    )
    partner_id: strawberry.ID = strawberry.field(description="The partner organization's id.")
    scope: PartnerAccessScope = strawberry.field(
        description="Which of a technician's powers the customer grants the partner."
    )
    expires_at: datetime = strawberry.field(description="When the customer's grant ends.")


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
    technician_access: TechnicianAccess | None = strawberry.field(
        description=(
            "Set when the viewer works in the organization as a partner's technician "
            '("Installer"): the partner and the grant it works under.'
        )
    )
    totp_enabled: bool = strawberry.field(
        description="The viewer's account logs in with a TOTP code after the password."
    )
    sessions: list[AccountSession] = strawberry.field(
        resolver=viewer_sessions,
        description="Where the account is signed in now (live grants), newest sign-in first; "
        "`current` marks the caller's own. `endSession` / `endOtherSessions` sign them out.",
    )
