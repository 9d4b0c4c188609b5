"""A partner's customers beyond the home table: one customer (its grant, its technicians),
creating a customer organization on a customer's behalf, customers' pending invitations, and
asking a customer for more time.

Forms are for the partner's Super Admin and Admins (the API's ``CUSTOMER_MANAGE``); the console
refuses the others' posts itself, as it does elsewhere.
"""

from __future__ import annotations

import functools
import unicodedata
from datetime import UTC, date, datetime, time

import pycountry
from starlette.responses import Response

from console.api.input_types import (
    CreateManagedCustomerInput,
    PartnerMappingInput,
    RequestPartnerAccessExtensionInput,
    TechnicianInput,
)
from console.api.partner_customer import (
    PartnerCustomerLandingPartnerLanding,
)
from console.forms import field_errors, values
from console.web import Ctx, Refused, console_page, read_form

NEW_FIELDS = ("organizationName", "country", "address", "phone")
PARTNER_ADMINS = {"SUPER_ADMIN", "ADMIN"}


@functools.cache
def countries() -> tuple[tuple[str, str], ...]:
    """ISO 3166-1 alpha-2 codes with their names, by name (what the API's validation takes)."""
    choices = (
        (country.alpha_2, getattr(country, "common_name", country.name))
        for country in pycountry.countries
    )
    return tuple(sorted(choices, key=lambda c: unicodedata.normalize("NFKD", c[1])))


async def _require_partner_admin(ctx: Ctx) -> None:
    viewer = await ctx.viewer()
    if viewer.organization.type_.value != "PARTNER" or viewer.role.value not in PARTNER_ADMINS:
        raise Refused(403)


def _customer_id(ctx: Ctx) -> str:
    return str(ctx.request.path_params["id"])[:64]


# --- one customer -----------------------------------------------------------------------------


@console_page
async def customer_page(ctx: Ctx) -> Response:
    result = await ctx.api.partner_customer(id=_customer_id(ctx))
    ctx.framed(result.viewer)
    await _require_partner_admin(ctx)
    landing = result.landing
    if not isinstance(landing, PartnerCustomerLandingPartnerLanding) or landing.customer is None:
        raise Refused(404)
    customer = landing.customer
    assigned = {edge.node.user.id for edge in customer.technicians.edges}
    staff = [
        edge.node.user
        for edge in result.members.edges
        if edge.node.status.value == "ACTIVE" and edge.node.user.id not in assigned
    ]
    kept = ctx.session.pop_form("extension")
    return await ctx.render(
        "customer.html",
        title=customer.name,
        partner=landing.organization.name,
        customer=customer,
        technicians=[edge.node for edge in customer.technicians.edges],
        staff=staff,
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
    )


def _until(raw: str) -> datetime | None:
    """A date from the form, as the start of that day in UTC; None when not a date."""
    try:
        return datetime.combine(date.fromisoformat(raw), time(0, 0), UTC)
    except ValueError:
        return None


@console_page
async def request_extension(ctx: Ctx) -> Response:
    await _require_partner_admin(ctx)
    customer_id = _customer_id(ctx)
    form = values(await read_form(ctx.request), "until", "mappingId", "back")
    back = f"/customers/{customer_id}" if form["back"] == "customer" else "/"
    until = None
    if form["until"]:
        until = _until(form["until"])
        if until is None:
            ctx.keep_form("extension", form, {"until": "Enter a date such as 2027-12-31."})
            return ctx.redirect(back)
    mapping_id = form["mappingId"] or await _mapping_of(ctx, customer_id)
    result = (
        await ctx.api.request_partner_access_extension(
            RequestPartnerAccessExtensionInput(mapping_id=mapping_id, until=until)
        )
    ).request_partner_access_extension
    if result.user_errors or result.partner_mapping is None:
        ctx.keep_form("extension", form, field_errors(result.user_errors, {"until": "until"}))
        return ctx.redirect(back)
    pending = result.partner_mapping.pending_extension
    asked = f" until {pending.requested_until:%d %b %Y}" if pending else ""
    ctx.flash(f"Extension{asked} requested: the customer's Super Admin was emailed.")
    return ctx.redirect(back)


async def _mapping_of(ctx: Ctx, customer_id: str) -> str:
    landing = (await ctx.api.partner_customer(id=customer_id)).landing
    if not isinstance(landing, PartnerCustomerLandingPartnerLanding) or landing.customer is None:
        raise Refused(404)
    return landing.customer.mapping_id


@console_page
async def assign(ctx: Ctx) -> Response:
    await _require_partner_admin(ctx)
    customer_id = _customer_id(ctx)
    form = values(await read_form(ctx.request), "userId")
    if not form["userId"]:
        ctx.flash("Choose a person to assign.", "error")
        return ctx.redirect(f"/customers/{customer_id}")
    result = (
        await ctx.api.assign_technician(
            TechnicianInput(customer_id=customer_id, user_id=form["userId"])
        )
    ).assign_technician
    if result.user_errors or result.technician is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not assigned.", "error")
    else:
        ctx.flash(f"{result.technician.user.email} is now an Installer here.")
    return ctx.redirect(f"/customers/{customer_id}")


@console_page
async def unassign_confirm(ctx: Ctx) -> Response:
    await _require_partner_admin(ctx)
    customer_id = _customer_id(ctx)
    user_id = str(ctx.request.path_params["user"])[:64]
    return await ctx.render(
        "confirm.html",
        title="Unassign technician",
        question="Take this technician off the customer?",
        detail="They lose access to the customer with their very next request; their pending "
        "invitations there are cancelled.",
        action=f"/customers/{customer_id}/technicians/{user_id}/unassign",
        button="Unassign",
        back=f"/customers/{customer_id}",
    )


@console_page
async def unassign(ctx: Ctx) -> Response:
    await _require_partner_admin(ctx)
    customer_id = _customer_id(ctx)
    user_id = str(ctx.request.path_params["user"])[:64]
    result = (
        await ctx.api.unassign_technician(TechnicianInput(customer_id=customer_id, user_id=user_id))
    ).unassign_technician
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("Technician unassigned.")
    return ctx.redirect(f"/customers/{customer_id}")


# --- a new customer organization ----------------------------------------------------------------


@console_page
async def new_form(ctx: Ctx) -> Response:
    await _require_partner_admin(ctx)
    kept = ctx.session.pop_form("customer_new")
    return await ctx.render(
        "customer_new.html",
        title="Create customer organization",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        countries=countries(),
    )


@console_page
async def create(ctx: Ctx) -> Response:
    await _require_partner_admin(ctx)
    raw = await read_form(ctx.request)
    form = values(raw, *NEW_FIELDS)
    terms = raw.get("acceptTermsOfService") == "yes"
    privacy = raw.get("acceptPrivacyPolicy") == "yes"
    result = (
        await ctx.api.create_managed_customer(
            CreateManagedCustomerInput(
                organization_name=form["organizationName"],
                country=form["country"],
                address=form["address"] or None,
                phone=form["phone"] or None,
                accept_terms_of_service=terms,
                accept_privacy_policy=privacy,
            )
        )
    ).create_managed_customer
    if result.user_errors or result.customer is None:
        names = {
            name: name for name in (*NEW_FIELDS, "acceptTermsOfService", "acceptPrivacyPolicy")
        }
        kept = {**form, "acceptTermsOfService": "yes" if terms else ""}
        kept["acceptPrivacyPolicy"] = "yes" if privacy else ""
        ctx.keep_form("customer_new", kept, field_errors(result.user_errors, names))
        return ctx.redirect("/customers/new")
    ctx.flash(
        f"{result.customer.name} created. You are its Installer; invite its first user from "
        "its Users page to hand it over."
    )
    return ctx.redirect(f"/customers/{result.customer.id}")


# --- customers' invitations ---------------------------------------------------------------------


@console_page
async def invitations(ctx: Ctx) -> Response:
    after = (ctx.request.query_params.get("after") or "")[:200] or None
    data = await ctx.api.partner_invitations(after=after)
    ctx.framed(data.viewer)
    await _require_partner_admin(ctx)
    page = data.viewer.working.partner_invitations
    if page is None:
        raise Refused(403)
    return await ctx.render(
        "customer_invitations.html",
        title="Invitations from customers",
        invitations=[edge.node for edge in page.edges],
        total=page.total_count,
        next_cursor=page.page_info.end_cursor if page.page_info.has_next_page else None,
        paged=after is not None,
    )


@console_page
async def answer_invitation(ctx: Ctx) -> Response:
    await _require_partner_admin(ctx)
    answer = ctx.request.path_params["answer"]
    mapping = PartnerMappingInput(mapping_id=str(ctx.request.path_params["id"])[:64])
    if answer == "accept":
        accepted = (await ctx.api.accept_partner_invitation(mapping)).accept_partner_invitation
        problems = accepted.user_errors
        name = accepted.partner_mapping.customer.name if accepted.partner_mapping else None
        verb = "accepted: assign its technicians from its page"
    elif answer == "decline":
        declined = (await ctx.api.decline_partner_invitation(mapping)).decline_partner_invitation
        problems = declined.user_errors
        name = declined.partner_mapping.customer.name if declined.partner_mapping else None
        verb = "declined"
    else:
        raise Refused(404)
    if problems or name is None:
        ctx.flash(problems[0].message if problems else "Nothing changed.", "error")
    else:
        ctx.flash(f"Invitation of {name} {verb}.")
    return ctx.redirect("/customers/invitations")
