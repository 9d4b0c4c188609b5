"""The partner-customer journeys end to end over HTTP, with real logins (OIDC code flow + PKCE)
and real access tokens:

1. A partner admin creates a customer on its behalf, is its technician, and invites the
   customer's first user, who becomes its Super Admin on activation.
2. A customer (signed up and activated) invites a partner by its STEP code; the partner accepts
   and assigns a technician; the technician registers a device in the customer; the customer
   ends the mapping; the technician's very next request, with the same still-valid token, no
   longer reaches the customer.
"""

from __future__ import annotations

from sqlalchemy import select

from db.models import AuditEvent, Device, User
from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import GOOD_PASSWORD, LANDING, activate, outbox_mails, register
from tests.devices.queries import DEVICES, REGISTER
from tests.factories import DEFAULT_PASSWORD, unique_email
from tests.identity.oidc import RegisteredClient, log_in
from tests.members.support import INVITE
from tests.partners.support import (
    ACCEPT,
    ASSIGN,
    CREATE_MANAGED,
    END,
    INVITATIONS,
    INVITE_PARTNER,
    SUPPORT_PARTNER,
    add_staff,
    create_partner,
    managed_form,
)
from tests.support.gql import codes, ok, payload_of
from tests.support.server import LiveServer

VIEWER = "{ viewer { role organization { id type status } organizations { id } } }"


def bearer(token: str, organization_id: str | None = None) -> dict[str, str]:
    headers = {"Authorization": f"Bearer {token}"}
    if organization_id is not None:
        headers["X-Organization-Id"] = organization_id
    return headers


async def test_a_partner_creates_a_customer_whose_first_user_becomes_super_admin(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    partner, _ = await create_partner(services, role=Role.ADMIN, with_password=True)
    token = await log_in(live, rp, partner.user.email, DEFAULT_PASSWORD)

    created = await ok(live, bearer(token), CREATE_MANAGED, {"input": managed_form()})
    customer_id = created["customer"]["id"]
    mapping_id = created["customer"]["mappingId"]

    # The creator is the customer's technician, and works there with the same token.
    as_technician = bearer(token, customer_id)
    viewer = (await live.graphql(VIEWER, headers=as_technician))["data"]["viewer"]
    assert viewer["role"] == "TECHNICIAN"
    assert viewer["organization"] == {"id": customer_id, "type": "CUSTOMER", "status": "PENDING"}

    # The technician invites the customer's first user (a technician may invite USERs).
    email = unique_email("owner")
    invited = await ok(
        live,
        as_technician,
        INVITE,
        {"input": {"email": email, "role": "USER", "firstName": "Olga", "lastName": "Owner"}},
    )
    assert invited["invitation"]["status"] == "PENDING"
    (mail,) = await outbox_mails(live, email)
    result = await activate(live, mail.activation_token, mail.activation_code)
    assert result["activated"] is True, result

    owner_token = await log_in(live, rp, email, GOOD_PASSWORD)
    viewer = (await live.graphql(VIEWER, headers=bearer(owner_token)))["data"]["viewer"]
    assert viewer["role"] == "SUPER_ADMIN"
    assert viewer["organization"] == {"id": customer_id, "type": "CUSTOMER", "status": "ACTIVE"}
    page = (await live.graphql(LANDING, headers=bearer(owner_token)))["data"]["landing"]
    assert page["__typename"] == "CustomerLanding"

    # The new Super Admin sees the partner that created the organization as its support partner.
    support = (await live.graphql(SUPPORT_PARTNER, headers=bearer(owner_token)))["data"]
    assert support["supportPartner"]["status"] == "ACTIVE"
    assert support["supportPartner"]["partner"]["id"] == str(partner.organization.id)
    assert [
        e["node"]["user"]["email"] for e in support["supportPartner"]["technicians"]["edges"]
    ] == [partner.user.email]

    # A second person invited later joins with the role they were invited with.
    second = unique_email("second")
    await ok(live, as_technician, INVITE, {"input": {"email": second, "role": "USER"}})
    (mail,) = await outbox_mails(live, second)
    assert (await activate(live, mail.activation_token, mail.activation_code))["activated"]
    second_token = await log_in(live, rp, second, GOOD_PASSWORD)
    viewer = (await live.graphql(VIEWER, headers=bearer(second_token)))["data"]["viewer"]
    assert viewer["role"] == "USER"

    # Now that the customer has its Super Admin, the partner may step back.
    ended = await ok(live, bearer(token), END, {"input": {"mappingId": mapping_id}})
    assert ended["partnerMapping"]["status"] == "ENDED"
    assert "errors" in await live.graphql(VIEWER, headers=as_technician)


async def test_a_customer_invites_a_partner_whose_technician_loses_access_when_it_ends(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    # The customer signs up, activates and logs in.
    form = await register(live)
    (mail,) = await outbox_mails(live, form["email"])
    assert (await activate(live, mail.activation_token, mail.activation_code))["activated"]
    owner = bearer(await log_in(live, rp, form["email"], GOOD_PASSWORD))
    customer_id = (await live.graphql(VIEWER, headers=owner))["data"]["viewer"]["organization"][
        "id"
    ]

    partner, code = await create_partner(services, role=Role.SUPER_ADMIN, with_password=True)
    partner_headers = bearer(await log_in(live, rp, partner.user.email, DEFAULT_PASSWORD))
    invited = await ok(live, owner, INVITE_PARTNER, {"input": {"stepPartnerCode": code}})
    mapping_id = invited["partnerMapping"]["id"]

    (edge,) = (await live.graphql(INVITATIONS, headers=partner_headers))["data"][
        "partnerInvitations"
    ]["edges"]
    assert edge["node"]["id"] == mapping_id
    await ok(live, partner_headers, ACCEPT, {"input": {"mappingId": mapping_id}})

    staff = await add_staff(services, partner)
    async with services.db.unit_of_work() as session:  # give the staff member a password
        user = await session.get(User, staff.user.id)
        assert user is not None
        user.password_hash = await services.hasher.hash(DEFAULT_PASSWORD)
    technician_token = await log_in(live, rp, staff.user.email, DEFAULT_PASSWORD)
    # Not yet assigned: the customer is out of reach.
    body = await live.graphql(DEVICES, {"org": customer_id}, headers=bearer(technician_token))
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"

    await ok(
        live,
        partner_headers,
        ASSIGN,
        {"input": {"customerId": customer_id, "userId": str(staff.user.id)}},
    )
    as_technician = bearer(technician_token, customer_id)
    viewer = (await live.graphql(VIEWER, headers=as_technician))["data"]["viewer"]
    assert viewer["role"] == "TECHNICIAN"
    registered = await ok(
        live,
        as_technician,
        REGISTER,
        {
            "input": {
                "kind": "CAMERA",
                "serialNumber": "tc-2000-0001",
                "macAddress": "00-1A-2B-3C-4D-5E",
                "model": "TC-2000",
                "name": "Lobby",
            }
        },
    )
    device_id = registered["device"]["id"]
    listed = (await live.graphql(DEVICES, {"org": customer_id}, headers=owner))["data"]["devices"]
    assert [e["node"]["id"] for e in listed["edges"]] == [device_id]
    async with services.db.read_session() as session:
        actor = await session.scalar(
            select(AuditEvent.actor_user_id).where(
                AuditEvent.action == "device.registered", AuditEvent.target_id == device_id
            )
        )
    assert actor == staff.user.id

    await ok(live, owner, END, {"input": {"mappingId": mapping_id}})

    # The very next request with the same, still valid token no longer reaches the customer.
    body = await live.graphql(DEVICES, {"org": customer_id}, headers=bearer(technician_token))
    assert body["data"] is None
    assert body["errors"][0]["extensions"]["code"] == "NOT_FOUND"
    again = await live.graphql(
        REGISTER,
        {
            "input": {
                "organizationId": customer_id,
                "kind": "CAMERA",
                "serialNumber": "tc-2000-0002",
                "macAddress": "00-1A-2B-3C-4D-5F",
                "model": "TC-2000",
            }
        },
        headers=bearer(technician_token),
    )
    assert codes(payload_of(again)) == ["NOT_FOUND"]
    body = await live.graphql(VIEWER, headers=as_technician)
    assert body["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Still a member of its own partner, with its token working there.
    viewer = (await live.graphql(VIEWER, headers=bearer(technician_token)))["data"]["viewer"]
    assert [o["id"] for o in viewer["organizations"]] == [str(partner.organization.id)]
    async with services.db.read_session() as session:
        assert (
            await session.scalar(select(Device.id).where(Device.serial_number == "TC-2000-0002"))
            is None
        )
