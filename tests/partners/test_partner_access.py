"""Time-bound partner access (GDAP-like): the customer's grant — a scope and an end date — decides
what its partner's technicians may do there and until when; the partner asks for extensions and
the customer's Super Admin answers. Over HTTP, with a moved clock instead of sleeps."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import select

from db.models import AuditEvent, OutboxMessage, PartnerMapping
from domain.enums import PartnerAccessNotice, Role
from domain.partners.access_notices import send_expiry_notices
from kit.clock import utcnow
from runtime import Services
from tests.factories import Actor, create_actor
from tests.partners.support import ACCEPT, ASSIGN, add_staff, create_partner
from tests.support.gql import USER_ERRORS, call, codes, error_code, ok, payload_for
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink

GRANT = "accessScope accessExpiresAt accessExpired pendingExtension { requestedUntil }"
UPDATE = f"""
mutation($input: UpdatePartnerAccessInput!) {{
  updatePartnerAccess(input: $input) {{ partnerMapping {{ id {GRANT} }} {USER_ERRORS} }}
}}
"""
REQUEST = f"""
mutation($input: RequestPartnerAccessExtensionInput!) {{
  requestPartnerAccessExtension(input: $input) {{ partnerMapping {{ id {GRANT} }} {USER_ERRORS} }}
}}
"""
APPROVE = f"""
mutation($input: PartnerMappingInput!) {{
  approvePartnerAccessExtension(input: $input) {{ partnerMapping {{ id {GRANT} }} {USER_ERRORS} }}
}}
"""
DECLINE = f"""
mutation($input: PartnerMappingInput!) {{
  declinePartnerAccessExtension(input: $input) {{ partnerMapping {{ id {GRANT} }} {USER_ERRORS} }}
}}
"""
INVITE_WITH_GRANT = f"""
mutation($input: InvitePartnerInput!) {{
  invitePartner(input: $input) {{ partnerMapping {{ id {GRANT} }} {USER_ERRORS} }}
}}
"""
CUSTOMERS = """
{ landing { ... on PartnerLanding { customers(first: 10) { edges { node {
  id mappingId accessScope accessExpiresAt accessExpired extensionRequestedUntil
} } } } } }
"""
CREATE_LOCATION = f"""
mutation($input: CreateLocationInput!) {{ createLocation(input: $input) {{ {USER_ERRORS} }} }}
"""
REDEEM = f"""
mutation($input: RedeemLicenseKeyInput!) {{ redeemLicenseKey(input: $input) {{ {USER_ERRORS} }} }}
"""
INVITE_MEMBER = f"""
mutation($input: InviteMemberInput!) {{ inviteMember(input: $input) {{ {USER_ERRORS} }} }}
"""
ORGANIZATIONS = "{ viewer { organizations { id } } }"


def _iso(moment: datetime) -> str:
    return moment.isoformat()


def _at(value: str) -> datetime:
    return datetime.fromisoformat(value.replace("Z", "+00:00"))


class World:
    def __init__(self, customer: Actor, partner: Actor, technician: Actor, mapping_id: str):
        self.customer = customer
        self.partner = partner
        self.technician = technician
        self.mapping_id = mapping_id


async def _mapped(live: LiveServer, services: Services, **grant: Any) -> World:
    """A customer that invited a partner under ``grant``; accepted; a technician assigned."""
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partner, code = await create_partner(services)
    invited = await ok(
        live,
        customer,
        INVITE_WITH_GRANT,
        {"input": {"stepPartnerCode": code, **grant}},
    )
    mapping_id = invited["partnerMapping"]["id"]
    await ok(live, partner, ACCEPT, {"input": {"mappingId": mapping_id}})
    technician = await add_staff(services, partner)
    await ok(
        live,
        partner,
        ASSIGN,
        {
            "input": {
                "customerId": str(customer.organization.id),
                "userId": str(technician.user.id),
            }
        },
    )
    return World(customer, partner, technician, mapping_id)


async def _powers(live: LiveServer, world: World) -> dict[str, str]:
    """What the technician gets for one call of each power in the customer: ``ok``, a userError
    code (the power applies; the input was refused) or the GraphQL error's code."""
    org = str(world.customer.organization.id)
    calls = {
        "devices": (
            CREATE_LOCATION,
            {"organizationId": org, "name": f"Site {uuid.uuid4().hex[:6]}", "timeZone": "UTC"},
        ),
        "licenses": (REDEEM, {"organizationId": org, "key": "AAAAA-AAAAA-AAAAA-AAAAA-AAAAA"}),
        "users": (
            INVITE_MEMBER,
            {
                "organizationId": org,
                "email": f"u{uuid.uuid4().hex[:8]}@example.com",
                "role": "USER",
            },
        ),
    }
    answers = {}
    for power, (document, input_) in calls.items():
        body = await call(live, world.technician, document, {"input": input_})
        if body.get("errors"):
            answers[power] = error_code(body)
        else:
            (payload,) = body["data"].values()
            answers[power] = (codes(payload) or ["ok"])[0]
    return answers


async def _events(services: Services, action: str) -> list[AuditEvent]:
    async with services.db.read_session() as session:
        rows = await session.scalars(select(AuditEvent).where(AuditEvent.action == action))
        return list(rows.all())


# --- the grant's defaults and limits ----------------------------------------------------------


async def test_an_invitation_grants_every_power_for_one_year_unless_told(
    live: LiveServer, services: Services
) -> None:
    world = await _mapped(live, services)
    body = await call(live, world.partner, CUSTOMERS)
    (node,) = [e["node"] for e in body["data"]["landing"]["customers"]["edges"]]
    assert node["accessScope"] == "DEVICES_LICENSES_USERS"
    assert node["accessExpired"] is False and node["extensionRequestedUntil"] is None
    ends = _at(node["accessExpiresAt"])
    assert abs(ends - (utcnow() + timedelta(days=365))) < timedelta(minutes=5)
    # The grant is in both organizations' logs.
    granted = await _events(services, "partner_access.granted")
    assert {e.organization_id for e in granted} == {
        world.customer.organization.id,
        world.partner.organization.id,
    }
    assert granted[0].details["access_scope"] == "DEVICES_LICENSES_USERS"
    assert await _powers(live, world) == {
        "devices": "ok",
        "licenses": "INVALID_LICENSE_KEY",
        "users": "ok",
    }


@pytest.mark.parametrize(
    ("offset", "code"),
    [
        (timedelta(days=-1), "ACCESS_END_DATE_TOO_EARLY"),
        (timedelta(days=731), "ACCESS_END_DATE_TOO_LATE"),
    ],
)
async def test_an_end_date_must_lie_ahead_and_within_two_years(
    live: LiveServer, services: Services, offset: timedelta, code: str
) -> None:
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    _, step_code = await create_partner(services)
    result = await payload_for(
        live,
        customer,
        INVITE_WITH_GRANT,
        {"input": {"stepPartnerCode": step_code, "accessExpiresAt": _iso(utcnow() + offset)}},
    )
    assert result["userErrors"][0]["code"] == code
    assert result["userErrors"][0]["field"] == ["input", "accessExpiresAt"]
    assert result["partnerMapping"] is None


# --- the scope ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("scope", "expected"),
    [
        ("DEVICES", {"devices": "ok", "licenses": "FORBIDDEN", "users": "FORBIDDEN"}),
        (
            "DEVICES_LICENSES",
            {"devices": "ok", "licenses": "INVALID_LICENSE_KEY", "users": "FORBIDDEN"},
        ),
    ],
)
async def test_a_technician_may_do_only_what_the_scope_grants(
    live: LiveServer, services: Services, scope: str, expected: dict[str, str]
) -> None:
    world = await _mapped(live, services, accessScope=scope)
    assert await _powers(live, world) == expected


async def test_the_customer_narrows_the_scope_and_it_applies_at_the_next_request(
    live: LiveServer, services: Services
) -> None:
    world = await _mapped(live, services)
    changed = await ok(
        live,
        world.customer,
        UPDATE,
        {"input": {"mappingId": world.mapping_id, "accessScope": "DEVICES"}},
    )
    assert changed["partnerMapping"]["accessScope"] == "DEVICES"
    assert (await _powers(live, world))["licenses"] == "FORBIDDEN"
    # Both organizations' logs have the change.
    (customer_side, partner_side) = sorted(
        await _events(services, "partner_access.changed"),
        key=lambda e: e.organization_id != world.customer.organization.id,
    )
    assert customer_side.organization_id == world.customer.organization.id
    assert partner_side.organization_id == world.partner.organization.id
    assert customer_side.details["access_scope"] == "DEVICES"
    assert customer_side.details["previous_scope"] == "DEVICES_LICENSES_USERS"


async def test_only_the_customers_super_admin_changes_the_grant(
    live: LiveServer, services: Services
) -> None:
    world = await _mapped(live, services)
    admin = await create_actor(services, role=Role.ADMIN, organization=world.customer.organization)
    variables = {"input": {"mappingId": world.mapping_id, "accessScope": "DEVICES"}}
    assert error_code(await call(live, admin, UPDATE, variables)) == "FORBIDDEN"
    assert error_code(await call(live, world.technician, UPDATE, variables)) == "FORBIDDEN"
    # The partner's side has no path to the customer's grant: as missing as a random id.
    theirs = await payload_for(live, world.partner, UPDATE, variables)
    random = await payload_for(
        live, world.customer, UPDATE, {"input": {"mappingId": str(uuid.uuid4())}}
    )
    assert theirs["userErrors"] == random["userErrors"]
    assert codes(theirs) == ["NOT_FOUND"]
    too_late = await payload_for(
        live,
        world.customer,
        UPDATE,
        {
            "input": {
                "mappingId": world.mapping_id,
                "accessExpiresAt": _iso(utcnow() + timedelta(days=800)),
            }
        },
    )
    assert codes(too_late) == ["ACCESS_END_DATE_TOO_LATE"]


# --- the end date -------------------------------------------------------------------------------


async def test_access_stops_at_the_end_date_without_any_job(
    live: LiveServer, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ends = utcnow() + timedelta(days=10)
    world = await _mapped(live, services, accessExpiresAt=_iso(ends))
    customer_id = str(world.customer.organization.id)
    before = await call(live, world.technician, ORGANIZATIONS)
    assert customer_id in {o["id"] for o in before["data"]["viewer"]["organizations"]}

    # The clock moves past the end date: the technician's very next request is refused, with the
    # same token; the partner's own organization stays theirs.
    monkeypatch.setattr("domain.authz.repository.utcnow", lambda: ends + timedelta(seconds=1))
    after = await call(live, world.technician, ORGANIZATIONS)
    assert {o["id"] for o in after["data"]["viewer"]["organizations"]} == {
        str(world.partner.organization.id)
    }
    assert (await _powers(live, world)) == dict.fromkeys(
        ("devices", "licenses", "users"), "NOT_FOUND"
    )
    # The partner still sees the customer, marked expired (the landing's own clock is real time,
    # so the end date is compared by the test).
    body = await call(live, world.partner, CUSTOMERS)
    (node,) = [e["node"] for e in body["data"]["landing"]["customers"]["edges"]]
    assert _at(node["accessExpiresAt"]) == ends


# --- extensions ---------------------------------------------------------------------------------


async def test_the_partner_asks_for_an_extension_and_the_customer_approves(
    live: LiveServer, services: Services, smtp: SmtpSink, monkeypatch: pytest.MonkeyPatch
) -> None:
    ends = utcnow() + timedelta(days=20)
    world = await _mapped(live, services, accessExpiresAt=_iso(ends))
    wanted = ends + timedelta(days=200)
    asked = await ok(
        live,
        world.partner,
        REQUEST,
        {"input": {"mappingId": world.mapping_id, "until": _iso(wanted)}},
    )
    pending = asked["partnerMapping"]["pendingExtension"]
    assert _at(pending["requestedUntil"]) == wanted
    again = await payload_for(
        live, world.partner, REQUEST, {"input": {"mappingId": world.mapping_id}}
    )
    assert codes(again) == ["EXTENSION_ALREADY_REQUESTED"]

    (mail,) = await smtp.wait_for(world.customer.user.email, subject="asks to keep its access")
    assert world.partner.organization.name in mail.part("text/plain")

    body = await call(live, world.partner, CUSTOMERS)
    (node,) = [e["node"] for e in body["data"]["landing"]["customers"]["edges"]]
    assert _at(node["extensionRequestedUntil"]) == wanted

    approved = await ok(live, world.customer, APPROVE, {"input": {"mappingId": world.mapping_id}})
    grant = approved["partnerMapping"]
    assert _at(grant["accessExpiresAt"]) == wanted and grant["pendingExtension"] is None
    (answer,) = await smtp.wait_for(world.partner.user.email, subject="extended your access")
    assert world.customer.organization.name in answer.part("text/plain")
    # Nothing left to answer.
    twice = await payload_for(
        live, world.customer, DECLINE, {"input": {"mappingId": world.mapping_id}}
    )
    assert codes(twice) == ["NO_EXTENSION_REQUESTED"]

    # The old end date passes: the technician still works there.
    monkeypatch.setattr("domain.authz.repository.utcnow", lambda: ends + timedelta(days=1))
    assert (await _powers(live, world))["devices"] == "ok"
    for action in ("partner_access.extension_requested", "partner_access.extension_approved"):
        sides = {e.organization_id for e in await _events(services, action)}
        assert sides == {world.customer.organization.id, world.partner.organization.id}


async def test_a_declined_extension_keeps_the_end_date(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    ends = utcnow() + timedelta(days=20)
    world = await _mapped(live, services, accessExpiresAt=_iso(ends))
    asked = await ok(live, world.partner, REQUEST, {"input": {"mappingId": world.mapping_id}})
    # The default: one more year after the current end.
    default = _at(asked["partnerMapping"]["pendingExtension"]["requestedUntil"])
    assert abs(default - (ends + timedelta(days=365))) < timedelta(minutes=5)
    declined = await ok(live, world.customer, DECLINE, {"input": {"mappingId": world.mapping_id}})
    assert _at(declined["partnerMapping"]["accessExpiresAt"]) == ends
    await smtp.wait_for(world.partner.user.email, subject="did not extend your access")
    # Asking again at once would only mail the customer again.
    again = await payload_for(
        live, world.partner, REQUEST, {"input": {"mappingId": world.mapping_id}}
    )
    assert codes(again) == ["EXTENSION_RECENTLY_DECLINED"]


async def test_who_may_ask_and_answer_and_for_which_dates(
    live: LiveServer, services: Services
) -> None:
    world = await _mapped(live, services)
    mine = {"input": {"mappingId": world.mapping_id}}
    # Partner staff without admin rights, and the customer's side, may not ask.
    staff = await add_staff(services, world.partner)
    assert error_code(await call(live, staff, REQUEST, mine)) == "FORBIDDEN"
    assert error_code(await call(live, world.technician, REQUEST, mine)) == "FORBIDDEN"
    assert codes(await payload_for(live, world.customer, REQUEST, mine)) == ["NOT_FOUND"]
    # ... and the partner may not answer its own request.
    assert codes(await payload_for(live, world.partner, APPROVE, mine)) == ["NOT_FOUND"]
    assert error_code(await call(live, world.technician, APPROVE, mine)) == "FORBIDDEN"
    # Dates: after the current end, within two years of now.
    for until, code in (
        (utcnow() + timedelta(days=30), "ACCESS_END_DATE_TOO_EARLY"),
        (utcnow() + timedelta(days=731), "ACCESS_END_DATE_TOO_LATE"),
    ):
        result = await payload_for(
            live,
            world.partner,
            REQUEST,
            {"input": {"mappingId": world.mapping_id, "until": _iso(until)}},
        )
        assert codes(result) == [code]
        assert result["userErrors"][0]["field"] == ["input", "until"]
    assert codes(await payload_for(live, world.customer, APPROVE, mine)) == [
        "NO_EXTENSION_REQUESTED"
    ]


async def test_an_expired_partner_asks_again_and_approval_restores_access(
    live: LiveServer, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    ends = utcnow() + timedelta(days=3)
    world = await _mapped(live, services, accessExpiresAt=_iso(ends))
    later = ends + timedelta(days=1)
    monkeypatch.setattr("domain.authz.repository.utcnow", lambda: later)
    assert (await _powers(live, world))["devices"] == "NOT_FOUND"
    await ok(live, world.partner, REQUEST, {"input": {"mappingId": world.mapping_id}})
    await ok(live, world.customer, APPROVE, {"input": {"mappingId": world.mapping_id}})
    assert (await _powers(live, world))["devices"] == "ok"


# --- notices ------------------------------------------------------------------------------------


async def test_both_sides_are_mailed_30_and_7_days_before_and_the_expiry_is_logged(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    ends = (utcnow() + timedelta(days=60)).replace(microsecond=0)
    world = await _mapped(live, services, accessExpiresAt=_iso(ends))
    admin = await add_staff(services, world.partner, Role.ADMIN)
    settings = services.settings

    assert await send_expiry_notices(services.db, settings, ends - timedelta(days=31)) == 0
    assert await send_expiry_notices(services.db, settings, ends - timedelta(days=29)) == 1
    # Once only, however often the pass runs.
    assert await send_expiry_notices(services.db, settings, ends - timedelta(days=28)) == 0
    for person in (world.customer, world.partner, admin):
        (mail,) = await smtp.wait_for(person.user.email, subject="ends in 30 days")
        assert world.customer.organization.name in mail.subject
    assert await send_expiry_notices(services.db, settings, ends - timedelta(days=6)) == 1
    for person in (world.customer, world.partner, admin):
        await smtp.wait_for(person.user.email, subject="ends in 7 days")
    assert await send_expiry_notices(services.db, settings, ends + timedelta(seconds=1)) == 1
    expired = await _events(services, "partner_access.expired")
    assert {e.organization_id for e in expired} == {
        world.customer.organization.id,
        world.partner.organization.id,
    }
    async with services.db.read_session() as session:
        mapping = await session.get(PartnerMapping, uuid.UUID(world.mapping_id))
        assert mapping is not None and mapping.access_notice is PartnerAccessNotice.EXPIRED
        # The technician's own staff membership is no admin: no expiry mail went to them.
        sent = await session.scalars(
            select(OutboxMessage.recipient).where(
                OutboxMessage.recipient == world.technician.user.email
            )
        )
        assert sent.all() == []


async def test_a_new_end_date_gets_its_own_notices(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    ends = (utcnow() + timedelta(days=20)).replace(microsecond=0)
    world = await _mapped(live, services, accessExpiresAt=_iso(ends))
    assert await send_expiry_notices(services.db, services.settings, utcnow()) == 1
    new_end = ends + timedelta(days=10)
    await ok(
        live,
        world.customer,
        UPDATE,
        {"input": {"mappingId": world.mapping_id, "accessExpiresAt": _iso(new_end)}},
    )
    assert await send_expiry_notices(services.db, services.settings, utcnow()) == 1
    mails = await smtp.wait_for(world.customer.user.email, 2, subject="ends in 30 days")
    assert len(mails) == 2


TECHNICIAN_ACCESS = "{ viewer { role technicianAccess { partnerId partnerName scope expiresAt } } }"
ONE_CUSTOMER = """
query($id: ID!) { landing { ... on PartnerLanding {
  customer(id: $id) { id name accessScope extensionRequestedUntil }
} } }
"""


async def test_the_viewer_tells_a_technician_whose_grant_they_work_under(
    live: LiveServer, services: Services
) -> None:
    world = await _mapped(live, services, accessScope="DEVICES_LICENSES")
    in_customer = {
        **world.technician.headers,
        "X-Organization-Id": str(world.customer.organization.id),
    }
    body = await call(live, in_customer, TECHNICIAN_ACCESS)
    viewer = body["data"]["viewer"]
    assert viewer["role"] == "TECHNICIAN"
    assert viewer["technicianAccess"]["scope"] == "DEVICES_LICENSES"
    assert viewer["technicianAccess"]["partnerId"] == str(world.partner.organization.id)
    assert viewer["technicianAccess"]["partnerName"] == world.partner.organization.name
    # At home in the partner, and for the customer's own people: nothing.
    for who in (world.technician, world.customer):
        assert (await call(live, who, TECHNICIAN_ACCESS))["data"]["viewer"][
            "technicianAccess"
        ] is None


async def test_a_partner_reads_one_of_its_customers_and_nobody_elses(
    live: LiveServer, services: Services
) -> None:
    world = await _mapped(live, services)
    other = await _mapped(live, services)
    await ok(live, world.partner, REQUEST, {"input": {"mappingId": world.mapping_id}})
    mine = await call(
        live, world.partner, ONE_CUSTOMER, {"id": str(world.customer.organization.id)}
    )
    customer = mine["data"]["landing"]["customer"]
    assert customer["name"] == world.customer.organization.name
    assert customer["accessScope"] == "DEVICES_LICENSES_USERS"
    assert customer["extensionRequestedUntil"] is not None
    for stranger in (str(other.customer.organization.id), str(uuid.uuid4()), "not-an-id"):
        body = await call(live, world.partner, ONE_CUSTOMER, {"id": stranger})
        assert body["data"]["landing"]["customer"] is None


async def test_grants_already_told_do_not_crowd_out_those_due(
    live: LiveServer, services: Services, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("domain.partners.access_notices.BATCH", 1)
    told = await _mapped(live, services, accessExpiresAt=_iso(utcnow() + timedelta(days=10)))
    due = await _mapped(live, services, accessExpiresAt=_iso(utcnow() + timedelta(days=25)))
    async with services.db.unit_of_work() as session:
        mapping = await session.get(PartnerMapping, uuid.UUID(told.mapping_id))
        assert mapping is not None
        mapping.access_notice = PartnerAccessNotice.DAYS_30
    assert await send_expiry_notices(services.db, services.settings, utcnow()) == 1
    async with services.db.read_session() as session:
        mapping = await session.get(PartnerMapping, uuid.UUID(due.mapping_id))
        assert mapping is not None and mapping.access_notice is PartnerAccessNotice.DAYS_30
