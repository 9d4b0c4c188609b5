"""The internal admins' review: who may, racing approvals, one organization per STEP code,
and the request list's pagination."""

from __future__ import annotations

import asyncio
import uuid

from sqlalchemy import func, select

from db.models import Organization, OutboxMessage, User
from domain.enums import OrganizationType, Role
from runtime import Services
from tests.accounts.journeys import (
    APPROVE,
    JOIN_PARTNER,
    PARTNER_REQUESTS,
    REJECT,
    outbox_mails,
    partner_form,
)
from tests.factories import create_actor, create_step_code
from tests.support.gql import codes, payload_for
from tests.support.server import LiveServer


async def _request(live: LiveServer, services: Services, code: str | None = None) -> str:
    """Join with a (new) code; return the request's contact email."""
    form = partner_form(code or await create_step_code(services))
    payload = await payload_for(live, None, JOIN_PARTNER, {"input": form})
    assert payload["accepted"], payload
    return str(form["email"])


async def _pending_ids(live: LiveServer, token: str) -> list[str]:
    listing = await payload_for(live, token, PARTNER_REQUESTS, {"status": "PENDING"})
    return [edge["node"]["id"] for edge in listing["edges"]]


async def test_review_needs_an_internal_admin(live: LiveServer, services: Services) -> None:
    await _request(live, services)
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    (request_id,) = await _pending_ids(live, admin.token)
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    partner = await create_actor(
        services, role=Role.SUPER_ADMIN, organization_type=OrganizationType.PARTNER
    )
    operations = [
        (PARTNER_REQUESTS, {}),
        (APPROVE, {"id": request_id}),
        (REJECT, {"id": request_id, "reason": "no"}),
    ]
    for query, variables in operations:
        anonymous = await live.graphql(query, variables)
        assert anonymous["data"] is None
        assert anonymous["errors"][0]["extensions"]["code"] == "UNAUTHENTICATED"
        for actor in (customer, partner):
            refused = await live.graphql(query, variables, token=actor.token)
            assert refused["data"] is None
            assert refused["errors"][0]["extensions"]["code"] == "FORBIDDEN"
    # Nothing was reviewed by those attempts.
    assert await _pending_ids(live, admin.token) == [request_id]


async def test_eight_concurrent_approvals_make_one_partner(
    live: LiveServer, services: Services
) -> None:
    email = await _request(live, services)
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    (request_id,) = await _pending_ids(live, admin.token)
    results = await asyncio.gather(
        *(live.graphql(APPROVE, {"id": request_id}, token=admin.token) for _ in range(8))
    )
    payloads = [r["data"]["approvePartnerRequest"] for r in results]
    winners = [p for p in payloads if p["partnerRequest"]]
    assert len(winners) == 1, payloads
    assert all(codes(p) == ["ALREADY_REVIEWED"] for p in payloads if p is not winners[0])
    async with services.db.read_session() as session:
        partners = await session.scalar(
            select(func.count())
            .select_from(Organization)
            .where(Organization.type == OrganizationType.PARTNER)
        )
        users = await session.scalar(
            select(func.count()).select_from(User).where(User.email == email)
        )
        activation_mails = await session.scalar(
            select(func.count())
            .select_from(OutboxMessage)
            .where(
                OutboxMessage.recipient == email,
                OutboxMessage.template == "partner_request_approved",
            )
        )
    assert (partners, users, activation_mails) == (1, 1, 1)


async def test_one_step_code_makes_one_partner_organization(
    live: LiveServer, services: Services
) -> None:
    code = await create_step_code(services)
    first = await _request(live, services, code)
    second = await _request(live, services, code)  # a rival request before any approval
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    ids = await _pending_ids(live, admin.token)
    assert len(ids) == 2
    results = await asyncio.gather(
        *(live.graphql(APPROVE, {"id": i}, token=admin.token) for i in ids)
    )
    payloads = [r["data"]["approvePartnerRequest"] for r in results]
    assert sorted(len(p["userErrors"]) for p in payloads) == [0, 1]
    (refused,) = [p for p in payloads if p["userErrors"]]
    assert codes(refused) == ["INVALID_STEP_CODE"]
    # The refused request is still pending: the admin rejects it.
    (still_pending,) = await _pending_ids(live, admin.token)
    rejected = await payload_for(
        live, admin.token, REJECT, {"id": still_pending, "reason": "Code already used."}
    )
    assert rejected["partnerRequest"]["status"] == "REJECTED"
    mails = [m.template for e in (first, second) for m in await outbox_mails(live, e)]
    assert sorted(mails) == [
        "partner_request_approved",
        "partner_request_received",
        "partner_request_received",
        "partner_request_rejected",
    ]


async def test_unknown_and_malformed_ids_are_not_found(
    live: LiveServer, services: Services
) -> None:
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    for raw in (str(uuid.uuid4()), "not-a-uuid", "x" * 100_000):
        payload = await payload_for(live, admin.token, APPROVE, {"id": raw})
        assert codes(payload) == ["NOT_FOUND"] and payload["userErrors"][0]["field"] == ["id"]
        payload = await payload_for(live, admin.token, REJECT, {"id": raw, "reason": "r"})
        assert codes(payload) == ["NOT_FOUND"]


async def test_a_rejection_needs_a_reason(live: LiveServer, services: Services) -> None:
    await _request(live, services)
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    (request_id,) = await _pending_ids(live, admin.token)
    for reason, code in (
        ("  ", "REQUIRED"),
        ("x" * 2001, "TOO_LONG"),
        ("a\x07b", "INVALID_CHARACTERS"),
    ):
        payload = await payload_for(live, admin.token, REJECT, {"id": request_id, "reason": reason})
        assert codes(payload) == [code] and payload["userErrors"][0]["field"] == ["reason"]
    assert await _pending_ids(live, admin.token) == [request_id]


async def test_requests_are_listed_page_by_page(live: LiveServer, services: Services) -> None:
    emails = [await _request(live, services) for _ in range(5)]
    admin = await create_actor(services, role=Role.INTERNAL_ADMIN)
    (first_id, *_rest) = await _pending_ids(live, admin.token)
    await payload_for(live, admin.token, REJECT, {"id": first_id, "reason": "No."})

    seen: list[str] = []
    after = None
    while True:
        page = await payload_for(live, admin.token, PARTNER_REQUESTS, {"first": 2, "after": after})
        seen += [edge["node"]["contactEmail"] for edge in page["edges"]]
        assert page["pageInfo"]["hasPreviousPage"] is (after is not None)
        if not page["pageInfo"]["hasNextPage"]:
            break
        assert len(page["edges"]) == 2
        after = page["pageInfo"]["endCursor"]
        assert after == page["edges"][-1]["cursor"]
    assert seen == emails  # oldest first, each once

    pending = await payload_for(live, admin.token, PARTNER_REQUESTS, {"status": "PENDING"})
    assert [e["node"]["contactEmail"] for e in pending["edges"]] == emails[1:]
    rejected = await payload_for(live, admin.token, PARTNER_REQUESTS, {"status": "REJECTED"})
    assert [e["node"]["contactEmail"] for e in rejected["edges"]] == emails[:1]

    # The page size is capped, and bad arguments are the client's error.
    big = await payload_for(live, admin.token, PARTNER_REQUESTS, {"first": 10_000})
    assert len(big["edges"]) == 5
    for variables in ({"first": -1}, {"after": "garbage"}, {"after": "x" * 5000}):
        body = await live.graphql(PARTNER_REQUESTS, variables, token=admin.token)
        assert body["data"] is None
        assert body["errors"][0]["extensions"]["code"] == "BAD_USER_INPUT"
