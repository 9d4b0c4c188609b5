"""The sign-up forms and activation (PRODUCT.md §3, names fixed by the contract)."""

from __future__ import annotations

import strawberry

from domain.accounts.forms import InformationForm
from domain.partners.join import PartnerJoinForm


@strawberry.input(description='"Create an Organization now": the customer information form.')
class CreateCustomerOrganizationInput:
    organization_name: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = None
    phone: str | None = None
    first_name: str
    last_name: str
    email: str
    accept_terms_of_service: bool
    accept_privacy_policy: bool

    def to_domain(self) -> InformationForm:
        return InformationForm(
            organization_name=self.organization_name,
            country=self.country,
            address=self.address,
            phone=self.phone,
            first_name=self.first_name,
            last_name=self.last_name,
            email=self.email,
            accept_terms_of_service=self.accept_terms_of_service,
            accept_privacy_policy=self.accept_privacy_policy,
        )


@strawberry.input(description='"Join as a STEP Partner": the information form and the code.')
class JoinAsStepPartnerInput:
    step_partner_code: str
    company_name: str
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = None
    phone: str | None = None
    first_name: str
    last_name: str
    email: str
    accept_terms_of_service: bool
    accept_privacy_policy: bool

    def to_domain(self) -> PartnerJoinForm:
        return PartnerJoinForm(
            step_partner_code=self.step_partner_code,
            form=InformationForm(
                organization_name=self.company_name,
                country=self.country,
                address=self.address,
                phone=self.phone,
                first_name=self.first_name,
                last_name=self.last_name,
                email=self.email,
                accept_terms_of_service=self.accept_terms_of_service,
                accept_privacy_policy=self.accept_privacy_policy,
            ),
        )


@strawberry.input(
    description="The activation page: the link's token, the emailed code, a password."
)
class ActivateAccountInput:
    token: str
    code: str
    new_password: str
    first_name: str | None = strawberry.field(
        default=None,
        description=(
            "Your name as you want it shown. An account an invitation made has none until you "
            "set it (whoever invited you does not choose it)."
        ),
    )
    last_name: str | None = None
