"""The journeys end in a real login and the right landing (customer, partner, internal admin)."""

from __future__ import annotations

import uuid

from domain.enums import OrganizationType, PartnerMappingStatus, Role
from domain.partners.code_file import CodeLine
from domain.partners.step_codes import import_codes
from runtime import Services
from tests.accounts.journeys import (
    APPROVE,
    GOOD_PASSWORD,
    JOIN_PARTNER,
    LANDING,
    activate,
    landing,
    outbox_mails,
    partner_form,
    register,
)
from tests.factories import create_actor
from tests.identity.oidc import RegisteredClient, full_sign_in, log_in
from tests.partners.support import map_new_customer
from tests.support.gql import graphql_code, payload_for
from tests.support.server import LiveServer


async def test_customer_journey_ends_on_the_customer_landing(
    live: LiveServer, rp: RegisteredClient
) -> None:
    form = await register(live)
    (mail,) = await outbox_mails(live, form["email"])
    result = await activate(live, mail.activation_token, mail.activation_code)
    assert result["activated"] is True, result
    token = await log_in(live, rp, form["email"], GOOD_PASSWORD)

    page = await landing(live, token)
    assert page["__typename"] == "CustomerLanding"
    assert page["organization"]["name"] == form["organizationName"]
    assert page["organization"]["type"] == "CUSTOMER"
    assert [item["key"] for item in page["menu"]] == ["LOCATIONS", "DEVICES", "USERS", "LICENSES"]
    assert [item["label"] for item in page["menu"]] == ["Locations", "Devices", "Users", "Licenses"]
    assert page["appTiles"], "the catalog's apps are shown"
    assert not any(tile["unlocked"] for tile in page["appTiles"])  # no license yet


async def test_partner_journey_ends_on_the_partner_landing(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    code = f"STEP-{uuid.uuid4().hex[:8].upper()}"
    async with services.db.unit_of_work() as session:
        await import_codes(session, [CodeLine(1, code, "Installers Ltd")])
    form = partner_form(code)
    assert (await payload_for(live, None, JOIN_PARTNER, {"input": form}))["accepted"] is True

    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    queue = await landing(live, admin.token)
    assert queue["__typename"] == "AdminLanding"
    (pending,) = queue["pendingPartnerRequests"]["edges"]
    assert pending["node"]["contactEmail"] == form["email"]
    assert pending["node"]["stepPartnerCode"] == code and pending["node"]["status"] == "PENDING"

    requests = await live.graphql(
        "{ partnerRequests(status: PENDING) { edges { node { id } } } }", token=admin.token
    )
    request_id = requests["data"]["partnerRequests"]["edges"][0]["node"]["id"]
    approved = await payload_for(live, admin.token, APPROVE, {"id": request_id})
    assert approved["userErrors"] == []
    # Reviewed requests leave the queue.
    assert (await landing(live, admin.token))["pendingPartnerRequests"]["edges"] == []

    # The approval mail carries the activation link and code.
    activation = [
        m for m in await outbox_mails(live, form["email"]) if "Activation code:" in m.text
    ]
    assert activation, "the approval sends an activation email"
    result = await activate(live, activation[-1].activation_token, activation[-1].activation_code)
    assert result["activated"] is True, result
    token = await log_in(live, rp, form["email"], GOOD_PASSWORD)

    page = await landing(live, token)
    assert page["__typename"] == "PartnerLanding"
    assert page["organization"]["type"] == "PARTNER"
    assert page["organization"]["name"] == form["companyName"]
    assert page["customers"]["edges"] == []


async def test_partner_landing_lists_mapped_customers(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    partner = await create_actor(
        services, role=Role.USER, organization_type=OrganizationType.PARTNER, with_password=True
    )
    names = ["Alpha Retail", "Beta Logistics", "Gamma Retail"]
    ids = [(await map_new_customer(services, partner, name)).id for name in names]
    await map_new_customer(services, partner, "Ended Co", status=PartnerMappingStatus.ENDED)
    await map_new_customer(services, partner, "Invited Co", status=PartnerMappingStatus.INVITED)
    other = await create_actor(services, organization_type=OrganizationType.PARTNER)
    await map_new_customer(services, other, "Somebody Else's")

    _, tokens = await full_sign_in(live.url, live.client, rp, partner.user.email)
    token = tokens["access_token"]
    first = (await landing(live, token, first=2))["customers"]
    assert [e["node"]["name"] for e in first["edges"]] == names[:2]
    assert [e["node"]["id"] for e in first["edges"]] == [str(i) for i in ids[:2]]
    assert first["edges"][0]["node"]["organization"]["type"] == "CUSTOMER"
    assert first["pageInfo"]["hasNextPage"] is True
    second = (await landing(live, token, first=2, after=first["pageInfo"]["endCursor"]))[
        "customers"
    ]
    assert [e["node"]["name"] for e in second["edges"]] == names[2:]
    assert second["pageInfo"] == {
        "hasNextPage": False,
        "hasPreviousPage": True,
        "endCursor": second["edges"][-1]["cursor"],
    }
    found = (await landing(live, token, search="  retail "))["customers"]
    assert [e["node"]["name"] for e in found["edges"]] == ["Alpha Retail", "Gamma Retail"]
    assert (await landing(live, token, search="%"))["customers"]["edges"] == []
    bad = await live.graphql(LANDING, {"after": "not-a-cursor"}, token=token)
    assert graphql_code(bad) == "BAD_USER_INPUT"


async def test_landing_needs_a_token_and_follows_the_working_organization(
    live: LiveServer, services: Services
) -> None:
    assert graphql_code(await live.graphql(LANDING)) == "UNAUTHENTICATED"
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    page = await landing(live, customer.token)
    assert page["__typename"] == "CustomerLanding"
    assert page["organization"]["id"] == str(customer.organization.id)
    # An internal admin's landing is the review queue, never a customer's data.
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    assert (await landing(live, admin.token))["__typename"] == "AdminLanding"
    # Only internal admins see the queue: a customer asking for it directly is refused.
    refused = await live.graphql(
        "{ partnerRequests { edges { node { id } } } }", token=customer.token
    )
    assert graphql_code(refused) == "FORBIDDEN"
