"""A customer invites a partner by STEP code; the partner accepts or declines; either side ends
the mapping; partner admins assign technicians — over HTTP, with who may do what."""

from __future__ import annotations

import asyncio
import uuid

import pytest
from sqlalchemy import func, select

from db.models import AuditEvent, PartnerMapping
from domain.enums import OrganizationStatus, PartnerMappingStatus, Role
from runtime import Services
from tests.factories import create_actor, create_step_code
from tests.partners.support import (
    ACCEPT,
    ASSIGN,
    DECLINE,
    END,
    INVITATIONS,
    INVITE_PARTNER,
    SUPPORT_PARTNER,
    UNASSIGN,
    VIEWER_ORGANIZATIONS,
    add_staff,
    create_partner,
)
from tests.support.gql import codes, payload_of
from tests.support.limits import fresh_limits, storages
from tests.support.server import LiveServer


def _code(body: dict[str, object]) -> object:
    errors = body.get("errors")
    assert errors, body
    return errors[0]["extensions"]["code"]  # type: ignore[index]


async def test_invite_accept_assign_and_end(live: LiveServer, services: Services) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partner, code = await create_partner(services)

    invited = payload_of(
        await live.graphql(
            INVITE_PARTNER,
            {"input": {"stepPartnerCode": f"  {code.lower()} "}},
            headers=customer.headers,
        )
    )
    assert invited["userErrors"] == []
    mapping = invited["partnerMapping"]
    assert mapping["status"] == "INVITED" and mapping["since"] is None
    assert mapping["partner"]["id"] == str(partner.organization.id)
    assert mapping["partnerName"] == partner.organization.name
    assert mapping["customer"]["id"] == str(customer.organization.id)

    # The customer sees the pending invitation as its support partner; the partner's admins see
    # it among their invitations.
    support = await live.graphql(SUPPORT_PARTNER, headers=customer.headers)
    assert support["data"]["supportPartner"]["status"] == "INVITED"
    listing = await live.graphql(INVITATIONS, headers=partner.headers)
    (edge,) = listing["data"]["partnerInvitations"]["edges"]
    assert edge["node"]["id"] == mapping["id"]
    assert edge["node"]["customer"]["name"] == customer.organization.name

    accepted = payload_of(
        await live.graphql(ACCEPT, {"input": {"mappingId": mapping["id"]}}, headers=partner.headers)
    )
    assert accepted["userErrors"] == []
    assert accepted["partnerMapping"]["status"] == "ACTIVE"
    assert accepted["partnerMapping"]["since"] is not None
    listing = await live.graphql(INVITATIONS, headers=partner.headers)
    assert listing["data"]["partnerInvitations"]["edges"] == []

    # A second answer to the same invitation is refused.
    again = payload_of(
        await live.graphql(ACCEPT, {"input": {"mappingId": mapping["id"]}}, headers=partner.headers)
    )
    assert codes(again) == ["INVITATION_NOT_PENDING"]

    staff = await add_staff(services, partner)
    technician_input = {"customerId": str(customer.organization.id), "userId": str(staff.user.id)}
    assigned = payload_of(
        await live.graphql(ASSIGN, {"input": technician_input}, headers=partner.headers)
    )
    assert assigned["userErrors"] == []
    assert assigned["technician"] == {
        "id": str(staff.user.id),
        "role": "TECHNICIAN",
        "roleLabel": "Installer",
        "user": {"email": staff.user.email},
    }
    # Assigning again changes nothing and succeeds.
    again = payload_of(
        await live.graphql(ASSIGN, {"input": technician_input}, headers=partner.headers)
    )
    assert again["userErrors"] == [] and again["technician"]["id"] == str(staff.user.id)

    # The customer sees its partner's technician as an Installer.
    support = await live.graphql(SUPPORT_PARTNER, headers=customer.headers)
    technicians = support["data"]["supportPartner"]["technicians"]["edges"]
    assert [(t["node"]["user"]["email"], t["node"]["roleLabel"]) for t in technicians] == [
        (staff.user.email, "Installer")
    ]

    # The technician reaches the customer with the TECHNICIAN role.
    orgs = await live.graphql(VIEWER_ORGANIZATIONS, token=staff.token)
    assert {o["id"] for o in orgs["data"]["viewer"]["organizations"]} == {
        str(partner.organization.id),
        str(customer.organization.id),
    }
    as_technician = {
        "Authorization": f"Bearer {staff.token}",
        "X-Organization-Id": str(customer.organization.id),
    }
    viewer = await live.graphql("{ viewer { role organization { id } } }", headers=as_technician)
    assert viewer["data"]["viewer"]["role"] == "TECHNICIAN"

    ended = payload_of(
        await live.graphql(END, {"input": {"mappingId": mapping["id"]}}, headers=customer.headers)
    )
    assert ended["userErrors"] == []
    assert ended["partnerMapping"]["status"] == "ENDED"
    assert ended["partnerMapping"]["endedAt"] is not None
    assert ended["partnerMapping"]["technicians"]["edges"] == []
    # The technician's very next request with the same token no longer reaches the customer.
    refused = await live.graphql("{ viewer { role } }", headers=as_technician)
    assert _code(refused) == "FORBIDDEN"
    scoped = await live.graphql(
        SUPPORT_PARTNER, {"organizationId": str(customer.organization.id)}, token=staff.token
    )
    assert _code(scoped) == "NOT_FOUND"
    orgs = await live.graphql(VIEWER_ORGANIZATIONS, token=staff.token)
    assert [o["id"] for o in orgs["data"]["viewer"]["organizations"]] == [
        str(partner.organization.id)
    ]
    assert (await live.graphql(SUPPORT_PARTNER, headers=customer.headers))["data"] == {
        "supportPartner": None
    }
    again = payload_of(
        await live.graphql(END, {"input": {"mappingId": mapping["id"]}}, headers=customer.headers)
    )
    assert codes(again) == ["MAPPING_ALREADY_ENDED"]

    # Every step is in both organizations' logs.
    async with services.db.read_session() as session:
        rows = (
            await session.execute(
                select(AuditEvent.action, AuditEvent.organization_id).where(
                    AuditEvent.target_id.in_([mapping["id"], str(staff.user.id)])
                )
            )
        ).all()
    for action in (
        "partner_mapping.invited",
        "partner_mapping.accepted",
        "technician.assigned",
        "partner_mapping.ended",
    ):
        assert {org for a, org in rows if a == action} == {
            customer.organization.id,
            partner.organization.id,
        }, action


async def test_codes_that_name_no_active_partner_are_refused_alike(
    live: LiveServer, services: Services
) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    _, revoked = await create_partner(services, code_revoked=True)
    _, suspended = await create_partner(services, status=OrganizationStatus.SUSPENDED)
    _, pending = await create_partner(services, status=OrganizationStatus.PENDING)
    unused = await create_step_code(services)  # a valid code no partner organization has yet
    answers = []
    for code in ("STEP-NOPE-0000", revoked, suspended, pending, unused, "not a code!", ""):
        body = await live.graphql(
            INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
        )
        payload = payload_of(body)
        assert payload["partnerMapping"] is None
        answers.append((payload["userErrors"][0]["code"], payload["userErrors"][0]["message"]))
        assert payload["userErrors"][0]["field"] == ["input", "stepPartnerCode"]
    assert set(answers) == {answers[0]} and answers[0][0] == "INVALID_STEP_CODE"
    async with services.db.read_session() as session:
        refusals = await session.scalar(
            select(func.count()).where(
                AuditEvent.action == "partner_mapping.invite_refused",
                AuditEvent.organization_id == customer.organization.id,
            )
        )
        mappings = await session.scalar(select(func.count()).select_from(PartnerMapping))
    assert refusals == 7 and mappings == 0


async def test_refused_codes_are_rate_limited_per_address(
    live: LiveServer, services: Services
) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    limit = int(live.settings.rate_limit_step_code.split("/")[0])
    for _ in range(limit):
        body = await live.graphql(
            INVITE_PARTNER, {"input": {"stepPartnerCode": "STEP-WRONG"}}, headers=customer.headers
        )
        assert codes(payload_of(body)) == ["INVALID_STEP_CODE"]
    _, code = await create_partner(services)
    body = await live.graphql(
        INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
    )
    assert codes(payload_of(body)) == ["RATE_LIMITED"]


@pytest.mark.parametrize("settings_overrides", storages({"rate_limit_step_code": "5/hour"}))
async def test_a_concurrent_burst_of_codes_cannot_pass_the_limit(
    live: LiveServer, services: Services
) -> None:
    await fresh_limits(live.settings)
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    _, good = await create_partner(services)
    guesses = [f"STEP-WRONG-{n:04d}" for n in range(30)]
    guesses.insert(20, good)
    bodies = await asyncio.gather(
        *(
            live.graphql(
                INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
            )
            for code in guesses
        )
    )
    answers = [codes(payload_of(body)) for body in bodies]
    # Each invitation reserves its failure before the code is looked up: at most 5 wrong codes
    # were evaluated; the right one, if it got a place, gave it back.
    async with services.db.read_session() as session:
        looked_up = await session.scalar(
            select(func.count()).where(AuditEvent.action == "partner_mapping.invite_refused")
        )
    assert looked_up is not None and looked_up <= 5
    assert answers.count(["INVALID_STEP_CODE"]) <= 5
    assert answers[20] in ([], ["RATE_LIMITED"])


async def test_one_partner_per_customer_even_when_invitations_race(
    live: LiveServer, services: Services
) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partners = [await create_partner(services) for _ in range(4)]
    bodies = await asyncio.gather(
        *(
            live.graphql(
                INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
            )
            for _, code in partners
        )
    )
    outcomes = sorted(codes(payload_of(b)) for b in bodies)
    assert outcomes == [[]] + [["PARTNER_ALREADY_MAPPED"]] * 3, outcomes
    async with services.db.read_session() as session:
        live_mappings = await session.scalar(
            select(func.count()).where(
                PartnerMapping.customer_organization_id == customer.organization.id,
                PartnerMapping.status != PartnerMappingStatus.ENDED,
            )
        )
    assert live_mappings == 1


async def test_decline_and_withdraw(live: LiveServer, services: Services) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partner, code = await create_partner(services, role=Role.ADMIN)
    first = payload_of(
        await live.graphql(
            INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
        )
    )["partnerMapping"]
    declined = payload_of(
        await live.graphql(DECLINE, {"input": {"mappingId": first["id"]}}, headers=partner.headers)
    )
    assert declined["partnerMapping"]["status"] == "ENDED"
    # Declined: the customer may invite again (the same or another partner); and withdraw it.
    second = payload_of(
        await live.graphql(
            INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
        )
    )["partnerMapping"]
    assert second["id"] != first["id"] and second["status"] == "INVITED"
    withdrawn = payload_of(
        await live.graphql(END, {"input": {"mappingId": second["id"]}}, headers=customer.headers)
    )
    assert withdrawn["partnerMapping"]["status"] == "ENDED"
    late = payload_of(
        await live.graphql(ACCEPT, {"input": {"mappingId": second["id"]}}, headers=partner.headers)
    )
    assert codes(late) == ["INVITATION_NOT_PENDING"]


async def test_who_may_do_what(live: LiveServer, services: Services) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    customer_admin = await create_actor(
        services, role=Role.ADMIN, organization=customer.organization
    )
    partner, code = await create_partner(services)
    partner_user = await add_staff(services, partner, Role.USER)
    stranger_partner, _ = await create_partner(services)
    internal = await create_actor(services, role=Role.INTERNAL_ADMIN)

    # Only the customer's Super Admin invites.
    for actor in (customer_admin, partner):
        body = await live.graphql(
            INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=actor.headers
        )
        assert _code(body) == "FORBIDDEN", body
    body = await live.graphql(
        INVITE_PARTNER,
        {"input": {"stepPartnerCode": code, "organizationId": str(customer.organization.id)}},
        headers=stranger_partner.headers,
    )
    assert codes(payload_of(body)) == ["NOT_FOUND"]
    mapping_id = payload_of(
        await live.graphql(
            INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
        )
    )["partnerMapping"]["id"]

    # Only the partner's admins answer; another partner sees nothing.
    body = await live.graphql(
        ACCEPT, {"input": {"mappingId": mapping_id}}, headers=partner_user.headers
    )
    assert _code(body) == "FORBIDDEN"
    for actor in (stranger_partner, customer, internal):
        for document in (ACCEPT, DECLINE):
            body = await live.graphql(
                document, {"input": {"mappingId": mapping_id}}, headers=actor.headers
            )
            payload = payload_of(body) if "errors" not in body else None
            assert (payload and codes(payload) == ["NOT_FOUND"]) or _code(body) == "FORBIDDEN"
    for bad in (str(uuid.uuid4()), "not-an-id"):
        body = await live.graphql(ACCEPT, {"input": {"mappingId": bad}}, headers=partner.headers)
        assert codes(payload_of(body)) == ["NOT_FOUND"]
    assert _code(await live.graphql(INVITATIONS, headers=partner_user.headers)) == "FORBIDDEN"
    assert _code(await live.graphql(INVITATIONS, headers=customer.headers)) == "FORBIDDEN"

    payload_of(
        await live.graphql(ACCEPT, {"input": {"mappingId": mapping_id}}, headers=partner.headers)
    )
    # Ending: a stranger finds nothing; the customer's Admin and the partner's User may not.
    body = await live.graphql(
        END, {"input": {"mappingId": mapping_id}}, headers=stranger_partner.headers
    )
    assert codes(payload_of(body)) == ["NOT_FOUND"]
    for actor in (customer_admin, partner_user):
        body = await live.graphql(END, {"input": {"mappingId": mapping_id}}, headers=actor.headers)
        assert _code(body) == "FORBIDDEN"
    # Anyone of the customer reads its support partner; a stranger does not.
    support = await live.graphql(SUPPORT_PARTNER, headers=customer_admin.headers)
    assert support["data"]["supportPartner"]["id"] == mapping_id
    body = await live.graphql(
        SUPPORT_PARTNER,
        {"organizationId": str(customer.organization.id)},
        headers=stranger_partner.headers,
    )
    assert _code(body) == "NOT_FOUND"

    # Technicians: assigned by partner admins only, from the partner's own staff only.
    outsider = await add_staff(services, stranger_partner)
    technician = {"customerId": str(customer.organization.id), "userId": str(outsider.user.id)}
    body = await live.graphql(ASSIGN, {"input": technician}, headers=partner.headers)
    assert codes(payload_of(body)) == ["NOT_FOUND"]
    assert payload_of(body)["userErrors"][0]["field"] == ["input", "userId"]
    technician["userId"] = str(customer.user.id)  # a customer member is not partner staff
    body = await live.graphql(ASSIGN, {"input": technician}, headers=partner.headers)
    assert codes(payload_of(body)) == ["NOT_FOUND"]
    technician["userId"] = str(partner_user.user.id)
    body = await live.graphql(ASSIGN, {"input": technician}, headers=partner_user.headers)
    assert _code(body) == "FORBIDDEN"
    body = await live.graphql(ASSIGN, {"input": technician}, headers=stranger_partner.headers)
    assert codes(payload_of(body)) == ["NOT_FOUND"]
    assert payload_of(body)["userErrors"][0]["field"] == ["input", "customerId"]
    body = await live.graphql(ASSIGN, {"input": technician}, headers=customer.headers)
    assert codes(payload_of(body)) == ["NOT_FOUND"]


async def test_unassign_takes_effect_at_once(live: LiveServer, services: Services) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partner, code = await create_partner(services)
    mapping_id = payload_of(
        await live.graphql(
            INVITE_PARTNER, {"input": {"stepPartnerCode": code}}, headers=customer.headers
        )
    )["partnerMapping"]["id"]
    payload_of(
        await live.graphql(ACCEPT, {"input": {"mappingId": mapping_id}}, headers=partner.headers)
    )
    staff = await add_staff(services, partner, Role.ADMIN)
    technician = {"customerId": str(customer.organization.id), "userId": str(staff.user.id)}
    payload_of(await live.graphql(ASSIGN, {"input": technician}, headers=partner.headers))
    scoped = {"organizationId": str(customer.organization.id)}
    assert (await live.graphql(SUPPORT_PARTNER, scoped, token=staff.token))["data"][
        "supportPartner"
    ]["id"] == mapping_id

    unassigned = payload_of(
        await live.graphql(UNASSIGN, {"input": technician}, headers=partner.headers)
    )
    assert unassigned["userErrors"] == []
    assert _code(await live.graphql(SUPPORT_PARTNER, scoped, token=staff.token)) == "NOT_FOUND"
    again = payload_of(await live.graphql(UNASSIGN, {"input": technician}, headers=partner.headers))
    assert codes(again) == ["NOT_ASSIGNED"]
