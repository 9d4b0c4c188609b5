"""The sign-up forms and activation (PRODUCT.md §3, names fixed by the contract)."""

from __future__ import annotations

import strawberry

from domain.accounts.forms import InformationForm
from domain.partners.join import PartnerJoinForm


@strawberry.input(description='"Create an Organization now": the customer information form.')
class CreateCustomerOrganizationInput:
    organization_name: str = strawberry.field(description="The organization's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = strawberry.field(default=None, description="Postal address (optional).")
    phone: str | None = strawberry.field(default=None, description="Phone number (optional).")
    first_name: str = strawberry.field(
        description="The first user's (the Customer Super Admin's) first name."
    )
    last_name: str = strawberry.field(
        description="The first user's (the Customer Super Admin's) last name."
    )
    email: str = strawberry.field(
        description="The first user's email: the activation email goes there."
    )
    accept_terms_of_service: bool = strawberry.field(
        description="Must be true: the terms of service are accepted (recorded with version, time and client)."
    )
    accept_privacy_policy: bool = strawberry.field(
        description="Must be true: the privacy policy and agreement are accepted (recorded with version, time and client)."
    )

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
    step_partner_code: str = strawberry.field(
        description="The STEP partner code the vendor gave the partner."
    )
    company_name: str = strawberry.field(description="The partner company's name.")
    country: str = strawberry.field(description="ISO 3166-1 alpha-2, e.g. DE.")
    address: str | None = strawberry.field(default=None, description="Postal address (optional).")
    phone: str | None = strawberry.field(default=None, description="Phone number (optional).")
    first_name: str = strawberry.field(description="The future Partner Super Admin's first name.")
    last_name: str = strawberry.field(description="The future Partner Super Admin's last name.")
    email: str = strawberry.field(
        description="The future Partner Super Admin's email: the confirmation goes there."
    )
    accept_terms_of_service: bool = strawberry.field(
        description="Must be true: the terms of service are accepted (recorded with version, time and client)."
    )
    accept_privacy_policy: bool = strawberry.field(
        description="Must be true: the privacy policy and agreement are accepted (recorded with version, time and client)."
    )

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
    token: str = strawberry.field(description="The `token` of the emailed activation link.")
    code: str = strawberry.field(description="The activation code from the email.")
    new_password: str = strawberry.field(
        description="The password to sign in with from now on (checked for strength)."
    )
    first_name: str | None = strawberry.field(
        default=None,
        description=(
            "Your name as you want it shown. An account an invitation made has none until you "
            "set it (whoever invited you does not choose it)."
        ),
    )
    last_name: str | None = strawberry.field(
        default=None, description="Your last name as you want it shown (see firstName)."
    )
