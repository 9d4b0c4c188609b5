"""Inputs of partner-customer mappings and technician assignments."""

from __future__ import annotations

import strawberry

from domain.partners.service import ManagedCustomerForm


@strawberry.input(
    description=(
        "A customer organization a partner creates on the customer's behalf: the sign-up form's "
        "organization fields, and the two boxes the partner ticks for the customer."
    )
)
class CreateManagedCustomerInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The partner organization; defaults to the working one."
    )
    organization_name: str = strawberry.field(description="The customer organization's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = strawberry.field(default=None, description="Postal address (optional).")
    phone: str | None = strawberry.field(default=None, description="Phone number (optional).")
    accept_terms_of_service: bool = strawberry.field(
        description="Must be true: the partner accepts the terms of service for the customer."
    )
    accept_privacy_policy: bool = strawberry.field(
        description="Must be true: the partner accepts the privacy policy and agreement for the customer."
    )

    def to_domain(self) -> ManagedCustomerForm:
        return ManagedCustomerForm(
            organization_id=self.organization_id,
            organization_name=self.organization_name,
            country=self.country,
            address=self.address,
            phone=self.phone,
            accept_terms_of_service=self.accept_terms_of_service,
            accept_privacy_policy=self.accept_privacy_policy,
        )


@strawberry.input(description="A customer's Super Admin invites a partner by its STEP code.")
class InvitePartnerInput:
    organization_id: strawberry.ID | None = strawberry.field(
        default=None, description="The customer organization; defaults to the working one."
    )
    step_partner_code: str = strawberry.field(
        description="The partner organization's STEP partner code."
    )


@strawberry.input(description="A partner mapping to act on.")
class PartnerMappingInput:
    mapping_id: strawberry.ID = strawberry.field(description="The partner mapping's id.")


@strawberry.input(description="A member of the partner's staff and a customer it supports.")
class TechnicianInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer organization's id.")
    user_id: strawberry.ID = strawberry.field(description="A user of the partner organization.")
