"""Input and payload of ``updateOrganization`` (resolvers/organization_details.py)."""

from __future__ import annotations

import strawberry

from schema.errors import UserError
from schema.types.organization import Organization


@strawberry.input(description="An organization's details; a field left out stays as it is.")
class UpdateOrganizationInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="Which organization (default: the working organization)."
    )
    name: str | None = strawberry.field(
        default=None, description="The display name (1 to 200 characters)."
    )
    address: str | None = strawberry.field(
        default=None, description="The postal address (up to 500 characters; empty clears it)."
    )
    phone: str | None = strawberry.field(
        default=None, description="A phone number such as +49 30 1234567 (empty clears it)."
    )


@strawberry.type(description="The organization with its new details, or why not.")
class UpdateOrganizationPayload:
    organization: Organization | None = strawberry.field(
        default=None, description="The organization, updated."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; "
        "empty on success.",
    )
