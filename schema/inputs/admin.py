"""Inputs and payloads of the internal admin console's mutations."""

from __future__ import annotations

import strawberry

from domain.partners.step_codes import NewCode
from schema.errors import UserError
from schema.types.admin_organization import AdminOrganization
from schema.types.step_code import StepPartnerCode


@strawberry.input(description="An organization to suspend, and why.")
class SuspendOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(
        description="The customer or partner organization's id."
    )
    reason: str = strawberry.field(
        description="Why (1 to 500 characters); kept with the organization and in the audit log."
    )


@strawberry.input(description="A suspended organization to reactivate.")
class ReactivateOrganizationInput:
    organization_id: strawberry.ID = strawberry.field(description="The organization's id.")


@strawberry.type(description="The organization after the suspension or reactivation, or why not.")
class OrganizationSuspensionPayload:
    organization: AdminOrganization | None = strawberry.field(
        default=None,
        description="The organization as the admin console shows it (null on failure).",
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="One code to add; without `code` one is generated.")
class NewStepPartnerCodeInput:
    code: str | None = strawberry.field(
        default=None,
        description="The code (normalized: trimmed, upper case); omitted: a random one.",
    )
    company: str | None = strawberry.field(
        default=None, description="Whom the vendor gives it to (optional)."
    )

    def to_domain(self) -> NewCode:
        return NewCode(code=self.code, company=self.company)


@strawberry.input(description="STEP partner codes to add to the registry.")
class AddStepPartnerCodesInput:
    codes: list[NewStepPartnerCodeInput] = strawberry.field(
        description="1 to 500 codes; all are added or none."
    )


@strawberry.type(description="The codes added, or why none were.")
class AddStepPartnerCodesPayload:
    step_partner_codes: list[StepPartnerCode] = strawberry.field(
        default_factory=list, description="The new codes, ACTIVE (empty on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )


@strawberry.input(description="A STEP partner code to revoke.")
class RevokeStepPartnerCodeInput:
    id: strawberry.ID = strawberry.field(description="The code's id.")


@strawberry.type(description="The revoked code, or why not.")
class RevokeStepPartnerCodePayload:
    step_partner_code: StepPartnerCode | None = strawberry.field(
        default=None, description="The code, now REVOKED (null on failure)."
    )
    user_errors: list[UserError] = strawberry.field(
        default_factory=list,
        description="Expected failures, each with a stable code and the input it is about; empty on success.",
    )
