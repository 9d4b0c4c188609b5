"""Every event type of the catalogue, caused over HTTP the way people cause it, reaches the
organization's endpoint signed, once per webhook-id, with the documented payload; a partner
mapping change reaches both sides."""

from __future__ import annotations

import ast
import uuid
from pathlib import Path
from typing import Any

import pytest

from domain.enums import Role
from domain.webhooks.catalog import event_type_of
from runtime import Services
from tests.admin.support import REACTIVATE, SUSPEND
from tests.devices.queries import MOVE, REGISTER
from tests.devices.queries import REMOVE as REMOVE_DEVICE
from tests.factories import add_member, create_actor, create_user
from tests.licenses.support import ATTACH, DETACH, ISSUE, REDEEM
from tests.members.support import CHANGE_ROLE, INVITE, REMOVE
from tests.partners.support import ACCEPT, END, INVITE_PARTNER, create_partner
from tests.support.gql import ok
from tests.support.server import LiveServer
from tests.webhooks.receiver import running_receiver
from tests.webhooks.support import EVENT_TYPES, create_endpoint

UPDATE_ORGANIZATION = """
mutation($input: UpdateOrganizationInput!) {
  updateOrganization(input: $input) { organization { name } userErrors { code field } }
}
"""
AREAS = "query { locations(first: 1) { edges { node { id } } } }"
CREATE_AREA = """
mutation($input: CreateAreaInput!) { createArea(input: $input) { area { id } userErrors { code } } }
"""


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {"webhook_poll_seconds": 0.05}


async def test_every_event_type_arrives(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    internal = await create_actor(services, role=Role.INTERNAL_ADMIN)
    partner, code = await create_partner(services)
    everything = [
        t["name"]
        for t in (await live.graphql(EVENT_TYPES, headers=owner.headers))["data"][
            "webhookEventTypes"
        ]
    ]
    async with running_receiver() as receiver, running_receiver() as partner_receiver:
        _, secret = await create_endpoint(live, owner, receiver.url, everything)
        _, partner_secret = await create_endpoint(
            live, partner, partner_receiver.url, ["partner.mapping.changed"]
        )
        receiver.secrets, partner_receiver.secrets = [secret], [partner_secret]

        # Members: invited; added straight in by the factory (no event); role changed; removed.
        await ok(
            live,
            owner,
            INVITE,
            {"input": {"email": f"i-{uuid.uuid4().hex[:8]}@example.test", "role": "USER"}},
        )
        async with services.db.unit_of_work() as session:
            colleague = await create_user(session)
            await add_member(session, colleague, owner.organization, Role.USER)
        await ok(
            live, owner, CHANGE_ROLE, {"input": {"userId": str(colleague.id), "role": "ADMIN"}}
        )
        await ok(live, owner, REMOVE, {"input": {"userId": str(colleague.id)}})

        # Devices: registered, moved, removed.
        device = (
            await ok(
                live,
                owner,
                REGISTER,
                {
                    "input": {
                        "kind": "CAMERA",
                        "serialNumber": "EVERY-1",
                        "macAddress": "02:00:00:aa:bb:01",
                        "model": "M",
                    }
                },
            )
        )["device"]["id"]
        location = (await live.graphql(AREAS, headers=owner.headers))["data"]["locations"]["edges"][
            0
        ]["node"]["id"]
        area = (
            await ok(live, owner, CREATE_AREA, {"input": {"locationId": location, "name": "Gate"}})
        )["area"]["id"]
        await ok(live, owner, MOVE, {"input": {"id": device, "areaId": area}})

        # Licenses: attached and detached.
        issued = await ok(
            live, internal, ISSUE, {"input": {"productKey": "HEALTHPRO", "termDays": 365}}
        )
        key, license_id = issued["licenseKeys"][0]["key"], issued["licenseKeys"][0]["license"]["id"]
        await ok(live, owner, REDEEM, {"input": {"key": key}})
        await ok(live, owner, ATTACH, {"input": {"licenseId": license_id, "deviceId": device}})
        await ok(live, owner, DETACH, {"input": {"licenseId": license_id, "deviceId": device}})
        await ok(live, owner, REMOVE_DEVICE, {"input": {"id": device}})

        # The support partner: invited, accepted, ended (both sides are told).
        mapping = (await ok(live, owner, INVITE_PARTNER, {"input": {"stepPartnerCode": code}}))[
            "partnerMapping"
        ]["id"]
        await ok(live, partner, ACCEPT, {"input": {"mappingId": mapping}})
        await ok(live, owner, END, {"input": {"mappingId": mapping}})

        # The organization: updated, suspended, reactivated.
        await ok(live, owner, UPDATE_ORGANIZATION, {"input": {"phone": "+49 40 1234567"}})
        org = str(owner.organization.id)
        await ok(live, internal, SUSPEND, {"input": {"organizationId": org, "reason": "Test"}})
        await ok(live, internal, REACTIVATE, {"input": {"organizationId": org}})

        expected = {
            "member.invited": 1,
            "member.role_changed": 1,
            "member.removed": 1,
            "device.registered": 1,
            "device.moved": 1,
            "license.attached": 1,
            "license.detached": 1,
            "device.removed": 1,
            "partner.mapping.changed": 3,
            "organization.updated": 1,
            "organization.suspended": 1,
            "organization.reactivated": 1,
        }
        await receiver.wait_for(sum(expected.values()))
        await partner_receiver.wait_for(3)

    got: dict[str, int] = {}
    for payload in receiver.processed.values():
        got[payload["type"]] = got.get(payload["type"], 0) + 1
        assert payload["version"] == 1
        assert payload["data"]["organizationId"] == org
    assert got == expected
    assert receiver.unverified == 0 and receiver.duplicates == 0
    assert all(r.verified_with == [secret] for r in receiver.requests)
    # The partner's side: the same three changes (each organization's log has its own audit
    # event, so its own webhook-ids).
    actions = sorted(p["data"]["action"] for p in partner_receiver.processed.values())
    assert actions == [
        "partner_mapping.accepted",
        "partner_mapping.ended",
        "partner_mapping.invited",
    ]
    invited = next(p for p in receiver.processed.values() if p["type"] == "member.invited")
    assert invited["data"]["details"]["role"] == "USER"
    assert invited["data"]["actor"]["userId"] == str(owner.user.id)
    # Every catalogue type is either caused above or raised by an action this test does not
    # take (member.joined: an accepted invitation; see tests/webhooks/test_lifecycle.py for the
    # catalogue's documentation).
    assert set(everything) - set(expected) == {"member.joined"}


def _synchronous_actions() -> list[tuple[str, str | None]]:
    """(module, action) of every event built with ``entry``/``account_entry`` outside
    domain/audit: those are stored with ``INSERT_EVENT`` on the synchronous paths (db/sync.py),
    which have no webhook hook. None for an action that is not a literal."""
    root = Path(__file__).resolve().parents[2]
    found: list[tuple[str, str | None]] = []
    for package in ("db", "domain", "identity", "web"):
        for path in sorted((root / package).rglob("*.py")):
            if path.parent.name == "audit" or "INSERT_EVENT" not in path.read_text():
                continue
            for node in ast.walk(ast.parse(path.read_text())):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in {"entry", "account_entry"}
                    and node.args
                ):
                    first = node.args[0]
                    action = (
                        first.value
                        if isinstance(first, ast.Constant) and isinstance(first.value, str)
                        else None
                    )
                    # account_entry has no organization: never a webhook event, whatever action.
                    if node.func.id == "entry" or action is not None:
                        found.append((str(path.relative_to(root)), action))
    return found


def test_no_catalogue_event_is_recorded_on_the_synchronous_paths() -> None:
    """The webhook hook runs where domain/audit stores the asynchronous helpers' events; the
    synchronous paths (the login, two-factor, the OAuth token endpoint) insert their rows
    directly. None of them may record an action of the catalogue (or one the test cannot read),
    else its webhook would silently never be sent."""
    actions = _synchronous_actions()
    assert ("domain/login/service.py", "login.failed") in actions  # the scan sees them
    assert [(module, action) for module, action in actions if action is None] == []
    assert [(m, a) for m, a in actions if a is not None and event_type_of(a) is not None] == []
