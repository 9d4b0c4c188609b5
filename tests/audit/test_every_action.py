"""Every security-relevant action of issue 5 item 8, performed over HTTP, leaves an audit event
with its actor, organization, target, client address and time — and the log answers for it by
action (internal admins: everything; an organization's admins: their own).

Login events belong to the account, not to an organization (an account may be in several), so
their organization is empty by design; partner requests have no organization until approved.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select

from db.models import Organization, User
from domain.enums import Role
from kit.clock import utcnow
from runtime import Services
from tests.accounts.journeys import (
    APPROVE,
    GOOD_PASSWORD,
    JOIN_PARTNER,
    PARTNER_REQUESTS,
    REJECT,
    activate,
    outbox_mails,
    partner_form,
    register,
)
from tests.admin.support import REACTIVATE, SUSPEND
from tests.devices.queries import REGISTER
from tests.devices.queries import REMOVE as REMOVE_DEVICE
from tests.factories import Actor, add_member, create_actor, create_step_code, create_user
from tests.identity.oidc import AuthRequest, Browser, register_client, sign_in
from tests.licenses.support import ATTACH, DETACH, ISSUE, REDEEM
from tests.members.support import CHANGE_ROLE, INVITE, TRANSFER
from tests.partners.support import (
    ACCEPT,
    ASSIGN,
    END,
    INVITE_PARTNER,
    UNASSIGN,
    add_staff,
    create_partner,
)
from tests.support.gql import ok, payload_for
from tests.support.server import LiveServer
from tests.support.tokens import mint_access_token

EVENTS = """
query($org: ID, $action: String, $first: Int) {
  auditEvents(organizationId: $org, action: $action, first: $first) {
    edges { node {
      action occurredAt actorId organizationId targetType targetId clientAddress
    } }
  }
}
"""
ADDRESS = "127.0.0.1"  # the live server's clients


@dataclass(frozen=True)
class Expected:
    action: str
    actor: Any  # a user id, or None where nobody is signed in (an unknown email, a stranger)
    organization: Any
    target_type: str
    target: Any


async def ids_of(services: Services, email: str) -> tuple[uuid.UUID, uuid.UUID | None]:
    """A user's id and (for a Super Admin) their organization's."""
    from db.models import Membership

    async with services.db.read_session() as session:
        user = await session.scalar(select(User).where(User.email == email))
        assert user is not None
        org = await session.scalar(
            select(Organization.id)
            .join(Membership, Membership.organization_id == Organization.id)
            .where(Membership.user_id == user.id)
        )
    return user.id, org


async def test_every_listed_action_is_audited(live: LiveServer, services: Services) -> None:
    started = utcnow()
    internal = await create_actor(services, role=Role.INTERNAL_ADMIN)
    expected: list[Expected] = []

    # Sign-up and activation.
    form = await register(live)
    email = form["email"]
    owner_id, org_id = await ids_of(services, email)
    assert org_id is not None
    expected.append(Expected("organization.registered", owner_id, org_id, "organization", org_id))
    (mail,) = await outbox_mails(live, email)
    assert (await activate(live, mail.activation_token, mail.activation_code))["activated"]
    expected += [
        Expected("account.activated", owner_id, None, "user", owner_id),
        Expected("organization.activated", owner_id, org_id, "organization", org_id),
    ]

    # Login: a failure, then a success (through the hosted form).
    client = await register_client(services)
    async with Browser(live.url) as browser:
        page = await browser.navigate("GET", AuthRequest(client).url())
        failed = await browser.login(page, email, "not the password at all 123")
        assert failed.status_code == 200
        await sign_in(browser, AuthRequest(client), email, GOOD_PASSWORD)
    expected += [
        Expected("login.failed", owner_id, None, "user", owner_id),
        Expected("login.succeeded", owner_id, None, "user", owner_id),
    ]

    async with services.db.read_session() as session:
        organization = await session.get(Organization, org_id)
        owner_user = await session.get(User, owner_id)
    assert organization is not None and owner_user is not None
    owner = Actor(
        owner_user, organization, Role.SUPER_ADMIN, await mint_access_token(services, owner_id)
    )

    # Invitations, role changes, the Super Admin transfer.
    invited = await ok(
        live,
        owner,
        INVITE,
        {"input": {"email": f"new-{uuid.uuid4().hex[:8]}@example.test", "role": "USER"}},
    )
    expected.append(
        Expected("invitation.sent", owner_id, org_id, "invitation", invited["invitation"]["id"])
    )
    async with services.db.unit_of_work() as session:
        colleague_user = await create_user(session)
        await add_member(session, colleague_user, organization, Role.USER)
    colleague = Actor(
        colleague_user,
        organization,
        Role.ADMIN,
        await mint_access_token(services, colleague_user.id),
    )
    await ok(
        live, owner, CHANGE_ROLE, {"input": {"userId": str(colleague_user.id), "role": "ADMIN"}}
    )
    expected.append(Expected("member.role_changed", owner_id, org_id, "user", colleague_user.id))
    await ok(live, owner, TRANSFER, {"input": {"userId": str(colleague_user.id)}})
    expected.append(
        Expected("super_admin.transferred", owner_id, org_id, "user", colleague_user.id)
    )
    super_admin = colleague  # from now on

    # Devices.
    def device_input(n: int) -> dict[str, Any]:
        return {
            "kind": "CAMERA",
            "serialNumber": f"AUD-{uuid.uuid4().hex[:8].upper()}-{n}",
            "macAddress": f"02:00:00:{n:02x}:{uuid.uuid4().bytes[0]:02x}:{uuid.uuid4().bytes[1]:02x}",
            "model": "TC-200",
        }

    kept = (await ok(live, owner, REGISTER, {"input": device_input(1)}))["device"]["id"]
    removed = (await ok(live, owner, REGISTER, {"input": device_input(2)}))["device"]["id"]
    await ok(live, owner, REMOVE_DEVICE, {"input": {"id": removed}})
    expected += [
        Expected("device.registered", owner_id, org_id, "device", kept),
        Expected("device.removed", owner_id, org_id, "device", removed),
    ]

    # Licenses: issued, redeemed, attached, detached.
    issued = await ok(
        live, internal, ISSUE, {"input": {"productKey": "HEALTHPRO", "termDays": 365}}
    )
    key = issued["licenseKeys"][0]["key"]
    license_id = issued["licenseKeys"][0]["license"]["id"]
    expected.append(Expected("license.keys_issued", internal.user.id, None, "product", "HEALTHPRO"))
    await ok(live, owner, REDEEM, {"input": {"key": key}})
    await ok(live, owner, ATTACH, {"input": {"licenseId": license_id, "deviceId": kept}})
    await ok(live, owner, DETACH, {"input": {"licenseId": license_id, "deviceId": kept}})
    expected += [
        Expected(f"license.{verb}", owner_id, org_id, "license", license_id)
        for verb in ("redeemed", "attached", "detached")
    ]

    # Partner mapping changes and technician assignments (events on both sides).
    partner, code = await create_partner(services)
    staff = await add_staff(services, partner)
    mapping = (await ok(live, super_admin, INVITE_PARTNER, {"input": {"stepPartnerCode": code}}))[
        "partnerMapping"
    ]["id"]
    await ok(live, partner, ACCEPT, {"input": {"mappingId": mapping}})
    technician = {"customerId": str(org_id), "userId": str(staff.user.id)}
    await ok(live, partner, ASSIGN, {"input": technician})
    await ok(live, partner, UNASSIGN, {"input": technician})
    await ok(live, super_admin, END, {"input": {"mappingId": mapping}})
    for side in (org_id, partner.organization.id):
        expected += [
            Expected(
                "partner_mapping.invited", colleague_user.id, side, "partner_mapping", mapping
            ),
            Expected("partner_mapping.accepted", partner.user.id, side, "partner_mapping", mapping),
            Expected("technician.assigned", partner.user.id, side, "user", staff.user.id),
            Expected("technician.unassigned", partner.user.id, side, "user", staff.user.id),
            Expected("partner_mapping.ended", colleague_user.id, side, "partner_mapping", mapping),
        ]

    # Partner requests: made by strangers, approved and rejected by an internal admin.
    for _ in range(2):
        payload = await payload_for(
            live, None, JOIN_PARTNER, {"input": partner_form(await create_step_code(services))}
        )
        assert payload["accepted"], payload
    requests = await live.graphql(PARTNER_REQUESTS, {"status": "PENDING"}, headers=internal.headers)
    approve_id, reject_id = (e["node"]["id"] for e in requests["data"]["partnerRequests"]["edges"])
    approved = (await live.graphql(APPROVE, {"id": approve_id}, headers=internal.headers))["data"]
    new_partner = approved["approvePartnerRequest"]["partnerRequest"]["organization"]["id"]
    rejected = await live.graphql(
        REJECT, {"id": reject_id, "reason": "Unknown company"}, headers=internal.headers
    )
    assert rejected["data"]["rejectPartnerRequest"]["userErrors"] == []
    expected += [
        Expected("partner_request.created", None, None, "partner_request", approve_id),
        Expected("partner_request.created", None, None, "partner_request", reject_id),
        Expected(
            "partner_request.approved", internal.user.id, new_partner, "partner_request", approve_id
        ),
        Expected("partner_request.rejected", internal.user.id, None, "partner_request", reject_id),
    ]

    # Suspension and reactivation.
    await ok(
        live, internal, SUSPEND, {"input": {"organizationId": str(org_id), "reason": "Audit test"}}
    )
    await ok(live, internal, REACTIVATE, {"input": {"organizationId": str(org_id)}})
    expected += [
        Expected(f"organization.{verb}", internal.user.id, org_id, "organization", org_id)
        for verb in ("suspended", "reactivated")
    ]

    # Each expected event is in the log, found by filtering on its action.
    finished = utcnow()
    for want in expected:
        body = await live.graphql(
            EVENTS, {"action": want.action, "first": 100}, headers=internal.headers
        )
        assert "errors" not in body, body
        events = [edge["node"] for edge in body["data"]["auditEvents"]["edges"]]
        matching = [
            e
            for e in events
            if e["targetId"] == str(want.target)
            and e["organizationId"] == (str(want.organization) if want.organization else None)
        ]
        assert len(matching) == 1, (want, events)
        (event,) = matching
        assert event["actorId"] == (str(want.actor) if want.actor else None), (want, event)
        assert event["targetType"] == want.target_type, (want, event)
        assert event["clientAddress"] == ADDRESS, (want, event)
        moment = datetime.fromisoformat(event["occurredAt"])
        assert started - timedelta(seconds=1) <= moment <= finished + timedelta(seconds=1)

    # The organization's admins read their own organization's events (not the account's logins).
    own = await live.graphql(EVENTS, {"first": 100}, headers=super_admin.headers)
    assert "errors" not in own, own
    actions = {edge["node"]["action"] for edge in own["data"]["auditEvents"]["edges"]}
    organization_actions = {want.action for want in expected if want.organization == org_id}
    assert organization_actions <= actions
    assert not {"login.succeeded", "login.failed", "partner_request.created"} & actions
