"""Inputs and payloads of the internal admin console's mutations."""

from __future__ import annotations

import strawberry

from domain.partners.step_code_admin import NewCode
from schema.errors import UserError
from schema.types.admin_organization import AdminOrganization
from schema.types.step_code import StepPartnerCode


@strawberry.input
class SuspendOrganizationInput:
    organization_id: strawberry.ID
    reason: str = strawberry.field(
        description="Why (1 to 500 characters); kept with the organization and in the audit log."
    )


@strawberry.input
class ReactivateOrganizationInput:
    organization_id: strawberry.ID


@strawberry.type
class OrganizationSuspensionPayload:
    organization: AdminOrganization | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input(description="One code to add; without `code` one is generated.")
class NewStepPartnerCodeInput:
    code: str | None = None
    company: str | None = None

    def to_domain(self) -> NewCode:
        return NewCode(code=self.code, company=self.company)


@strawberry.input
class AddStepPartnerCodesInput:
    codes: list[NewStepPartnerCodeInput] = strawberry.field(
        description="1 to 500 codes; all are added or none."
    )


@strawberry.type
class AddStepPartnerCodesPayload:
    step_partner_codes: list[StepPartnerCode] = strawberry.field(default_factory=list)
    user_errors: list[UserError] = strawberry.field(default_factory=list)


@strawberry.input
class RevokeStepPartnerCodeInput:
    id: strawberry.ID


@strawberry.type
class RevokeStepPartnerCodePayload:
    step_partner_code: StepPartnerCode | None = None
    user_errors: list[UserError] = strawberry.field(default_factory=list)
