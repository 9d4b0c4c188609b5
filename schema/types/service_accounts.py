"""Service accounts' GraphQL face (domain/service_accounts): ``ServiceAccount`` (machine access),
and the inputs and payloads of creating one, rotating its secret and revoking it
(resolvers/service_accounts.py)."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from db.models import ServiceAccount as ServiceAccountRow
from schema.context import Context
from schema.enums import Role
from schema.errors import UserError
from schema.payloads import Payload
from schema.relay import Connection
from schema.types.accounts import User

_USER_ERRORS = (
    "Expected failures, each with a stable code and the input it is about; empty on success."
)


async def _created_by(root: ServiceAccount, info: strawberry.Info[Context, None]) -> User | None:
    if root.created_by_id is None:
        return None
    row = await info.context.loaders.user_by_id.load(root.created_by_id)
    return User.from_row(row) if row is not None else None


@strawberry.type(
    description=(
        "A machine identity of one organization: OAuth client credentials that obtain access "
        "tokens at the token endpoint (grant_type=client_credentials) and act in that "
        "organization only, with the account's role. The secret is shown once, when made."
    )
)
class ServiceAccount:
    id: strawberry.ID = strawberry.field(description="The service account's id.")
    name: str = strawberry.field(description="What it is for, unique in the organization.")
    role: Role = strawberry.field(description="What its tokens may do: ADMIN or USER.")
    client_id: str = strawberry.field(description="The OAuth client id it authenticates with.")
    secret_hint: str = strawberry.field(
        description="The current secret's last four characters (the secret is never shown again)."
    )
    created_at: datetime = strawberry.field(description="When it was created.")
    secret_rotated_at: datetime | None = strawberry.field(
        description="When its secret was last replaced (null: never)."
    )
    last_used_at: datetime | None = strawberry.field(
        description="When it last obtained an access token (null: never)."
    )
    created_by: User | None = strawberry.field(
        resolver=_created_by, description="Who created it (null when that account is gone)."
    )
    created_by_id: strawberry.Private[uuid.UUID | None]

    @classmethod
    def from_row(cls, row: ServiceAccountRow) -> ServiceAccount:
        return cls(
            id=strawberry.ID(str(row.id)),
            name=row.name,
            role=row.role,
            client_id=row.client_id,
            secret_hint=row.secret_hint,
            created_at=row.created_at,
            secret_rotated_at=row.secret_rotated_at,
            last_used_at=row.last_used_at,
            created_by_id=row.created_by_id,
        )


@strawberry.type(description="A page of service accounts.")
class ServiceAccountConnection(Connection[ServiceAccount]):
    pass


# --- inputs and payloads of the mutations (resolvers/service_accounts.py)


@strawberry.input(description="A new service account.")
class CreateServiceAccountInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which organization (default: the working organization)."
    )
    name: str = strawberry.field(description="What it is for (1 to 100 characters).")
    role: Role = strawberry.field(
        description="ADMIN or USER; never SUPER_ADMIN (refused with INVALID_ROLE)."
    )


@strawberry.type(description="The new service account and its credentials, or why not.")
class CreateServiceAccountPayload(Payload):
    service_account: ServiceAccount | None = strawberry.field(
        default=None, description="The service account."
    )
    client_id: str | None = strawberry.field(default=None, description="Its OAuth client id.")
    client_secret: str | None = strawberry.field(
        default=None, description="Its secret: shown this once, store it now."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.input(description="A service account, by id.")
class ServiceAccountIdInput:
    id: strawberry.ID = strawberry.field(description="The service account's id.")


@strawberry.type(description="The service account's new secret, or why not.")
class RotateServiceAccountSecretPayload(Payload):
    service_account: ServiceAccount | None = strawberry.field(
        default=None, description="The service account."
    )
    client_secret: str | None = strawberry.field(
        default=None,
        description="The new secret, shown this once. The old one, and every token it "
        "obtained, stopped working.",
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)


@strawberry.type(description="The revoked service account's id, or why not.")
class RevokeServiceAccountPayload(Payload):
    revoked_service_account_id: strawberry.ID | None = strawberry.field(
        default=None, description="The id of the service account, now revoked with its tokens."
    )
    user_errors: list[UserError] = strawberry.field(default_factory=list, description=_USER_ERRORS)
