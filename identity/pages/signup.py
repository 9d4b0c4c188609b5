"""GET/POST /register ("Create an Organization now") and /partner/join ("Join as a STEP Partner").

Both are the customer information form (the partner one calls the organization its company and
adds the STEP partner code) over the very services the GraphQL mutations call —
``register_customer`` and ``join_as_step_partner`` — so validation, limits, consent records and the
no-enumeration answer are theirs. Input names are the GraphQL input's field names, which are also
the last step of each error's ``field`` path: an error lands next to its input without a mapping.

A valid submission always ends on the "check your email" page, whether or not the address was
known (the mailbox learns which); an invalid one comes back with every error next to its field and
the typed values kept (POST-redirect-GET through the session's flash).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from domain.accounts.forms import InformationForm
from domain.accounts.registration import register_customer
from domain.accounts.validation import country_choices
from domain.context import RequestMeta
from domain.errors import RateLimited, UserErrors
from domain.partners.join import PartnerJoinForm, join_as_step_partner
from identity.pages.form_page import RATE_LIMITED, errors_by_field, kept_values, show
from identity.pages.forms import Submission, read_submission, redirect_with_flash
from identity.provider import IdentityProvider, identity_of
from identity.sessions import BrowserSession
from runtime import Services

TERMS = "acceptTermsOfService"
PRIVACY = "acceptPrivacyPolicy"
PERSON_FIELDS = ("firstName", "lastName", "email")
PLACE_FIELDS = ("country", "address", "phone")

Submit = Callable[[Services, dict[str, str], RequestMeta], Awaitable[None]]


def _checked(fields: dict[str, str], name: str) -> bool:
    # An unticked checkbox is simply absent from the form's body.
    return name in fields


def information_form(fields: dict[str, str], organization_field: str) -> InformationForm:
    return InformationForm(
        organization_name=fields.get(organization_field),
        country=fields.get("country"),
        address=fields.get("address") or None,
        phone=fields.get("phone") or None,
        first_name=fields.get("firstName"),
        last_name=fields.get("lastName"),
        email=fields.get("email"),
        accept_terms_of_service=_checked(fields, TERMS),
        accept_privacy_policy=_checked(fields, PRIVACY),
    )


async def _register(services: Services, fields: dict[str, str], meta: RequestMeta) -> None:
    await register_customer(services, meta, information_form(fields, "organizationName"))


async def _join(services: Services, fields: dict[str, str], meta: RequestMeta) -> None:
    join = PartnerJoinForm(
        step_partner_code=fields.get("stepPartnerCode"),
        form=information_form(fields, "companyName"),
    )
    await join_as_step_partner(services, meta, join)


@dataclass(frozen=True, slots=True)
class SignupForm:
    page: str  # the page's name in PAGE_PATHS
    title: str
    lead: str
    button: str
    organization_field: str
    organization_label: str
    text_fields: tuple[str, ...]  # every text input whose value is kept after an error
    submit: Submit
    sent: str  # what the "check your email" page says (identity.pages.check_email)


REGISTER = SignupForm(
    page="register",
    title="Create your organization",
    lead="Set up Cloud Portal for your company in a minute. We will email you a link to "
    "activate your account and choose a password.",
    button="Create organization",
    organization_field="organizationName",
    organization_label="Organization name",
    text_fields=("organizationName", *PLACE_FIELDS, *PERSON_FIELDS),
    submit=_register,
    sent="registration",
)

PARTNER_JOIN = SignupForm(
    page="partner_join",
    title="Join as a STEP Partner",
    lead="For installers and resellers in the STEP partner programme. Enter the STEP partner "
    "code you received; we review every request and email you when your account is ready.",
    button="Send request",
    organization_field="companyName",
    organization_label="Company name",
    text_fields=("stepPartnerCode", "companyName", *PLACE_FIELDS, *PERSON_FIELDS),
    submit=_join,
    sent="partner_request",
)


def _render(
    form: SignupForm, provider: IdentityProvider, session: BrowserSession, flash: dict[str, Any]
) -> Response:
    values: dict[str, str] = {name: "" for name in form.text_fields}
    values.update(flash.get("values", {}))
    checked: dict[str, bool] = flash.get("checked", {})
    errors: dict[str, str] = flash.get("errors", {})
    return provider.pages.render(
        "signup.html",
        title=form.title,
        form=form,
        csrf_token=session.csrf_token,
        values=values,
        checked=checked,
        errors=errors,
        error=flash.get("error"),
        countries=country_choices(),
        versions={
            "terms": provider.services.settings.terms_of_service_version,
            "privacy": provider.services.settings.privacy_policy_version,
        },
    )


async def _page(request: Request, form: SignupForm) -> Response:
    return await show(
        request, lambda provider, session, flash: _render(form, provider, session, flash)
    )


async def _submit(request: Request, form: SignupForm) -> Response:
    provider = identity_of(request)
    submitted = await read_submission(provider, request)
    if not isinstance(submitted, Submission):
        return submitted
    fields, session = submitted.fields, submitted.session
    kept: dict[str, Any] = {
        "values": kept_values(fields, form.text_fields),
        "checked": {TERMS: _checked(fields, TERMS), PRIVACY: _checked(fields, PRIVACY)},
    }
    try:
        await form.submit(provider.services, fields, provider.meta(request))
    except RateLimited:
        return await redirect_with_flash(
            provider, session, form.page, {**kept, "error": RATE_LIMITED}
        )
    except UserErrors as exc:
        by_field, general = errors_by_field(exc)
        return await redirect_with_flash(
            provider, session, form.page, {**kept, "errors": by_field, "error": general}
        )
    return await redirect_with_flash(
        provider,
        session,
        "check_email",
        {"sent": form.sent, "email": kept["values"].get("email", "")},
    )


async def register_page(request: Request) -> Response:
    return await _page(request, REGISTER)


async def register_submit(request: Request) -> Response:
    return await _submit(request, REGISTER)


async def partner_join_page(request: Request) -> Response:
    return await _page(request, PARTNER_JOIN)


async def partner_join_submit(request: Request) -> Response:
    return await _submit(request, PARTNER_JOIN)
