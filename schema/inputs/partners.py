"""Inputs of partner-customer mappings and technician assignments."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.enums import PartnerAccessScope
from domain.partners.managed import ManagedCustomerForm


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
    access_scope: PartnerAccessScope | None = strawberry.field(
        default=None,
        description=(
            "Which of its technicians' powers the partner gets; defaults to DEVICES_LICENSES_USERS."
        ),
    )
    access_expires_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "When the partner's access ends: in the future, at most two years from now; "
            "defaults to one year from now."
        ),
    )


@strawberry.input(description="A partner mapping to act on.")
class PartnerMappingInput:
    mapping_id: strawberry.ID = strawberry.field(description="The partner mapping's id.")


@strawberry.input(description="A member of the partner's staff and a customer it supports.")
class TechnicianInput:
    customer_id: strawberry.ID = strawberry.field(description="The customer organization's id.")
    user_id: strawberry.ID = strawberry.field(description="A user of the partner organization.")


@strawberry.input(description="A customer's Super Admin changes its partner's grant.")
class UpdatePartnerAccessInput:
    mapping_id: strawberry.ID = strawberry.field(description="The partner mapping's id.")
    access_scope: PartnerAccessScope | None = strawberry.field(
        default=None, description="The new scope (omitted: unchanged)."
    )
    access_expires_at: datetime | None = strawberry.field(
        default=None,
        description=(
            "The new end date: in the future, at most two years from now (omitted: unchanged)."
        ),
    )


@strawberry.input(description="A partner asks a customer for more time.")
class RequestPartnerAccessExtensionInput:
    mapping_id: strawberry.ID = strawberry.field(description="The partner mapping's id.")
    until: datetime | None = strawberry.field(
        default=None,
        description=(
            "The end date asked for: later than the current one, at most two years from now; "
            "defaults to one more year."
        ),
    )
