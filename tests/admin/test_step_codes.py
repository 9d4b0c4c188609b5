"""The STEP partner-code registry in the internal admin console: list and search, add (given and
generated, all or nothing), revoke unused codes; who may."""

from __future__ import annotations

import re
import uuid
from typing import Any

from sqlalchemy import select

from db.models import AuditEvent
from domain.enums import Role
from runtime import Services
from tests.accounts.journeys import JOIN_PARTNER, partner_form
from tests.admin.support import ADD_CODES, REVOKE_CODE, STEP_CODES
from tests.factories import Actor, create_actor, create_step_code
from tests.partners.support import create_partner
from tests.support.gql import call, codes, data, error_code
from tests.support.server import LiveServer


async def add(live: LiveServer, admin: Actor, *entries: dict[str, Any]) -> dict[str, Any]:
    body = await data(live, admin, ADD_CODES, {"input": {"codes": list(entries)}})
    result: dict[str, Any] = body["addStepPartnerCodes"]
    return result


async def revoke(live: LiveServer, admin: Actor, code_id: str) -> dict[str, Any]:
    body = await data(live, admin, REVOKE_CODE, {"input": {"id": code_id}})
    result: dict[str, Any] = body["revokeStepPartnerCode"]
    return result


async def listed(live: LiveServer, admin: Actor, **variables: Any) -> dict[str, Any]:
    result: dict[str, Any] = (await data(live, admin, STEP_CODES, variables))["stepPartnerCodes"]
    return result


def values(connection: dict[str, Any]) -> list[str]:
    return [edge["node"]["code"] for edge in connection["edges"]]


async def test_add_list_and_revoke(live: LiveServer, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    tag = uuid.uuid4().hex[:6].upper()
    added = await add(
        live, admin, {"code": f" step-{tag.lower()}-1 ", "company": " Acme GmbH "}, {}
    )
    assert added["userErrors"] == []
    given, generated = added["stepPartnerCodes"]
    assert (given["code"], given["company"], given["status"]) == (
        f"STEP-{tag}-1",
        "Acme GmbH",
        "ACTIVE",
    )
    assert re.fullmatch(r"STEP-[A-Z0-9]{4}-[A-Z0-9]{4}", generated["code"]), generated
    assert generated["company"] is None and generated["organization"] is None

    # All or nothing: one known code (any case) refuses the whole request, with its path.
    refused = await add(live, admin, {"code": f"STEP-{tag}-2"}, {"code": f"step-{tag}-1"})
    assert codes(refused) == ["DUPLICATE_STEP_CODE"]
    assert refused["userErrors"][0]["field"] == ["input", "codes", "1", "code"]
    assert refused["stepPartnerCodes"] == []
    twice = await add(live, admin, {"code": f"STEP-{tag}-3"}, {"code": f"step-{tag}-3"})
    assert codes(twice) == ["DUPLICATE_STEP_CODE"]
    bad = await add(live, admin, {"code": "not a code!"}, {"code": "-X"}, {"company": "x" * 201})
    assert codes(bad) == ["INVALID_STEP_CODE", "INVALID_STEP_CODE", "TOO_LONG"]
    assert codes(await add(live, admin)) == ["TOO_MANY_CODES"]
    assert values(await listed(live, admin, search=tag)) == [f"STEP-{tag}-1"]

    # A partner made from a code shows on it.
    partner, used = await create_partner(services)
    found = await listed(live, admin, search=used.lower())
    assert found["totalCount"] == 1
    assert found["edges"][0]["node"]["organization"]["id"] == str(partner.organization.id)
    assert values(await listed(live, admin, search="acme")) == [f"STEP-{tag}-1"]

    # Revoke an unused code; it can no longer be used to join.
    done = await revoke(live, admin, given["id"])
    assert done["userErrors"] == []
    assert done["stepPartnerCode"] == {
        "id": given["id"],
        "code": given["code"],
        "status": "REVOKED",
    }
    again = await revoke(live, admin, given["id"])
    assert codes(again) == ["ALREADY_REVOKED"]
    assert again["userErrors"][0]["field"] == ["input", "id"]
    join = await live.graphql(JOIN_PARTNER, {"input": partner_form(given["code"])})
    assert codes(join["data"]["joinAsStepPartner"]) == ["INVALID_STEP_CODE"]
    # A code that made a partner organization is that partner's identity: not revocable.
    used_id = found["edges"][0]["node"]["id"]
    assert codes(await revoke(live, admin, used_id)) == ["STEP_CODE_IN_USE"]
    missing = [await revoke(live, admin, value) for value in (str(uuid.uuid4()), "nope")]
    assert [codes(m) for m in missing] == [["NOT_FOUND"], ["NOT_FOUND"]]
    assert missing[0]["userErrors"] == missing[1]["userErrors"]

    revoked = await listed(live, admin, status="REVOKED")
    assert values(revoked) == [f"STEP-{tag}-1"]
    active = await listed(live, admin, status="ACTIVE")
    assert f"STEP-{tag}-1" not in values(active) and generated["code"] in values(active)

    async with services.db.read_session() as session:
        events = (
            await session.scalars(
                select(AuditEvent)
                .where(AuditEvent.action.in_(["step_code.created", "step_code.revoked"]))
                .order_by(AuditEvent.id)
            )
        ).all()
    assert [e.action for e in events] == ["step_code.created", "step_code.revoked"]
    assert all(e.actor_user_id == admin.user.id and e.client_address for e in events)
    assert events[0].details["codes"] == [given["code"], generated["code"]]
    assert events[1].target_id == given["id"]


async def test_pages_newest_first(live: LiveServer, services: Services) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    tag = uuid.uuid4().hex[:6].upper()
    made = [await create_step_code(services, f"P-{tag}-{n}") for n in range(5)]
    seen: list[str] = []
    after = None
    while True:
        page = await listed(live, admin, search=f"p-{tag}", first=2, after=after)
        assert page["totalCount"] == 5
        seen += values(page)
        if not page["pageInfo"]["hasNextPage"]:
            break
        after = page["pageInfo"]["endCursor"]
    assert seen == list(reversed(made))
    for variables in ({"after": "bogus"}, {"first": -1}, {"search": "x" * 201}):
        assert error_code(await call(live, admin, STEP_CODES, variables)) == "BAD_USER_INPUT"


async def test_only_internal_admins_manage_codes(live: LiveServer, services: Services) -> None:
    partner, _ = await create_partner(services)
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    code_id = str(uuid.uuid4())
    operations: list[tuple[str, dict[str, Any]]] = [
        (STEP_CODES, {}),
        (ADD_CODES, {"input": {"codes": [{"code": "STEP-MINE-1"}]}}),
        (REVOKE_CODE, {"input": {"id": code_id}}),
    ]
    for document, variables in operations:
        for actor in (partner, customer):
            body = await call(live, actor, document, variables)
            assert error_code(body) == "FORBIDDEN" and body["data"] is None
        assert error_code(await call(live, None, document, variables)) == "UNAUTHENTICATED"
