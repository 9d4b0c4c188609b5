"""The customer information form, shared by "Create an Organization now" and "Join as a STEP
Partner" (the partner form calls the organization name ``companyName`` and adds the code).

Field names are the GraphQL input's, so that each error's ``field`` is the path the client sent
(``["input", "email"]``).
"""

from __future__ import annotations

from dataclasses import dataclass

from domain.accounts import validation as val
from domain.accounts.errors import PRIVACY_NOT_ACCEPTED, TERMS_NOT_ACCEPTED
from domain.errors import Validator
from domain.organizations.service import OrganizationDetails


@dataclass(frozen=True, slots=True)
class InformationForm:
    """What the client sent, unvalidated."""

    organization_name: str | None
    country: str | None
    address: str | None
    phone: str | None
    first_name: str | None
    last_name: str | None
    email: str | None
    accept_terms_of_service: bool
    accept_privacy_policy: bool


@dataclass(frozen=True, slots=True)
class Person:
    email: str
    first_name: str
    last_name: str


@dataclass(frozen=True, slots=True)
class Signup:
    """A valid form: the organization and the person who becomes its Super Admin."""

    organization: OrganizationDetails
    person: Person


def validate_information_form(
    v: Validator,
    form: InformationForm,
    *,
    organization_field: str = "organizationName",
    allow_test_domains: bool = False,
) -> Signup | None:
    """Record every invalid field in ``v``; the cleaned form when all are valid."""
    organization = validate_organization_details(
        v,
        name=form.organization_name,
        country=form.country,
        address=form.address,
        phone=form.phone,
        name_field=organization_field,
    )
    first_name = val.clean_text(
        v, "firstName", form.first_name, label="First name", max_length=val.NAME_MAX
    )
    last_name = val.clean_text(
        v, "lastName", form.last_name, label="Last name", max_length=val.NAME_MAX
    )
    email = val.clean_email(v, "email", form.email, allow_test_domains=allow_test_domains)
    val.require_true(
        v,
        "acceptTermsOfService",
        form.accept_terms_of_service,
        TERMS_NOT_ACCEPTED,
        "Accept the terms of service to continue.",
    )
    val.require_true(
        v,
        "acceptPrivacyPolicy",
        form.accept_privacy_policy,
        PRIVACY_NOT_ACCEPTED,
        "Accept the privacy policy and agreement to continue.",
    )
    if v.errors:
        return None
    assert organization and first_name and last_name and email
    return Signup(
        organization=organization,
        person=Person(email=email, first_name=first_name, last_name=last_name),
    )


def validate_organization_details(
    v: Validator,
    *,
    name: str | None,
    country: str | None,
    address: str | None,
    phone: str | None,
    name_field: str = "organizationName",
) -> OrganizationDetails | None:
    """The organization part of the form (also what a partner fills in for a managed customer).
    Meaningful only when ``v`` holds no errors afterwards (an invalid optional field is None)."""
    clean_name = val.clean_text(
        v,
        name_field,
        name,
        label="Organization name" if name_field == "organizationName" else "Company name",
        max_length=val.ORGANIZATION_NAME_MAX,
    )
    clean_country = val.clean_country(v, "country", country)
    clean_address = val.clean_text(
        v, "address", address, label="Address", max_length=val.ADDRESS_MAX, required=False
    )
    clean_phone = val.clean_phone(v, "phone", phone)
    if clean_name is None or clean_country is None:
        return None
    return OrganizationDetails(
        name=clean_name, country=clean_country, address=clean_address, phone=clean_phone
    )
