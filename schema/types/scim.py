"""SCIM provisioning's GraphQL face (domain/scim): ``ScimToken``, and the payloads of creating
and revoking an organization's token (resolvers/scim.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from db.models import ScimToken as ScimTokenRow
from schema.errors import UserError
from schema.payloads import Payload

_USER_ERRORS = (
    "Expected failures, each with a stable code and the input it is about; empty on success."
)


@strawberry.type(
    description=(
        "A bearer token with which an organization's directory (Okta, Entra ID) provisions its "
        "members over SCIM 2.0. One is live per organization; the token itself is shown once."
    )
)
class ScimToken:
    id: strawberry.ID = strawberry.field(description="The token's id.")
    token_hint: str = strawberry.field(
        description="The token's last four characters (the token is never shown again)."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    last_used_at: datetime | None = strawberry.field(
        description="When the directory last used it (null: never)."
    )
    revoked_at: datetime | None = strawberry.field(
        description="When it was revoked or replaced (null: it is the live one)."
    )

    @classmethod
    def from_row(cls, row: ScimTokenRow) -> ScimToken:
        return cls(
            id=strawberry.ID(str(row.id)),
            token_hint=row.token_hint,
            created_at=row.created_at,
            last_used_at=row.last_used_at,
            revoked_at=row.revoked_at,
        )


# --- payloads of the mutations (resolvers/scim.py)


@strawberry.type(description="The organization's new SCIM token, or why not.")
class CreateScimTokenPayload(Payload):
    token: str | None = strawberry.field(
        default=None,
        description="The token, shown this once: give it to the directory now. The previous "
        "token, if any, stopped working.",
    )
    scim_token: ScimToken | None = strawberry.field(default=None, description="The token's record.")
    base_url: str | None = strawberry.field(
        default=None, description="The SCIM base URL the directory is given with the token."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.type(description="The revoked SCIM token's id, or why not.")
class RevokeScimTokenPayload(Payload):
    revoked_scim_token_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the token, now refused at its next request."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)
