"""Claimed email domains end to end: claimed over GraphQL, proven by a TXT record that a real DNS
server on loopback UDP answers (PORTAL_DNS_RESOLVER), one verified owner per domain, public mail
domains refused, every change audited."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import select

from db.models import AuditEvent
from domain.enums import Role
from domain.sso.service import normalize_domain
from runtime import Services
from tests.factories import Actor, create_actor
from tests.sso.dns_server import DnsServer
from tests.sso.support import CLAIM, DOMAINS, VERIFY
from tests.support.gql import call, codes, data, error_code, ok, payload_for
from tests.support.server import LiveServer


async def claim(live: LiveServer, who: Actor, domain: str, **extra: Any) -> dict[str, Any]:
    return await payload_for(live, who, CLAIM, {"input": {"domain": domain, **extra}})


async def verify(live: LiveServer, who: Actor, domain_id: str) -> dict[str, Any]:
    return await payload_for(live, who, VERIFY, {"id": domain_id})


def publish(dns_server: DnsServer, claimed: dict[str, Any]) -> None:
    dns_server.records[claimed["txtRecordName"]] = ["v=spf1 -all", claimed["txtRecordValue"]]


async def audit_actions(services: Services, organization_id: Any) -> list[str]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.organization_id == organization_id)
            .where(AuditEvent.action.like("sso.%"))
            .order_by(AuditEvent.occurred_at)
        )
        return list(rows)


async def test_a_domain_is_verified_by_its_txt_record(
    live: LiveServer, services: Services, dns_server: DnsServer
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": " Example-Corp.COM. "}}))["domain"]
    assert claimed["name"] == "example-corp.com"
    assert claimed["verified"] is False
    assert claimed["txtRecordName"] == "_cloud-portal-verification.example-corp.com"
    assert claimed["txtRecordValue"].startswith("cloud-portal-verification=")
    assert len(claimed["txtRecordValue"]) > len("cloud-portal-verification=") + 20

    # Not published yet: refused, and asked of the configured server.
    result = await verify(live, owner, claimed["id"])
    assert codes(result) == ["TXT_RECORD_NOT_FOUND"], result
    assert result["userErrors"][0]["field"] == ["id"]
    assert claimed["txtRecordName"] in result["userErrors"][0]["message"]
    assert dns_server.questions == ["_cloud-portal-verification.example-corp.com"]

    # Another value (an old token, someone else's): still refused.
    dns_server.records[claimed["txtRecordName"]] = ["cloud-portal-verification=wrong"]
    assert codes(await verify(live, owner, claimed["id"])) == ["TXT_RECORD_NOT_FOUND"]

    publish(dns_server, claimed)
    result = await verify(live, owner, claimed["id"])
    assert result["userErrors"] == [] and result["domain"]["verified"] is True, result
    # Verifying again answers the same, without asking DNS.
    asked = len(dns_server.questions)
    again = await verify(live, owner, claimed["id"])
    assert again["domain"]["verified"] is True and len(dns_server.questions) == asked

    listed = await data(live, owner, DOMAINS)
    assert listed["singleSignOn"]["domains"] == [{"name": "example-corp.com", "verified": True}]
    # Claiming it again answers the same claim (the same TXT value).
    twice = (await ok(live, owner, CLAIM, {"input": {"domain": "example-corp.com"}}))["domain"]
    assert twice["id"] == claimed["id"] and twice["txtRecordValue"] == claimed["txtRecordValue"]
    assert await audit_actions(services, owner.organization.id) == [
        "sso.domain_claimed",
        "sso.domain_verified",
    ]


async def test_a_silent_dns_server_asks_to_retry(
    live: LiveServer, services: Services, dns_server: DnsServer
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": "quiet.example"}}))["domain"]
    publish(dns_server, claimed)
    dns_server.silent = True
    result = await verify(live, owner, claimed["id"])
    assert codes(result) == ["DNS_UNAVAILABLE"], result
    dns_server.silent = False
    assert (await verify(live, owner, claimed["id"]))["domain"]["verified"] is True


async def test_a_domain_verified_by_one_organization_is_nobody_elses(
    live: LiveServer, services: Services, dns_server: DnsServer
) -> None:
    first = await create_actor(services, role=Role.SUPER_ADMIN)
    second = await create_actor(services, role=Role.SUPER_ADMIN)
    # Both may claim while nobody has proven anything …
    mine = (await ok(live, first, CLAIM, {"input": {"domain": "contested.example"}}))["domain"]
    theirs = (await ok(live, second, CLAIM, {"input": {"domain": "contested.example"}}))["domain"]
    assert mine["txtRecordValue"] != theirs["txtRecordValue"]
    # … both publish (a zone may carry several TXT records); the first to verify wins.
    dns_server.records[mine["txtRecordName"]] = [mine["txtRecordValue"], theirs["txtRecordValue"]]
    assert (await verify(live, first, mine["id"]))["domain"]["verified"] is True
    result = await verify(live, second, theirs["id"])
    assert codes(result) == ["DOMAIN_TAKEN"], result
    refused = await claim(live, second, "CONTESTED.example")
    assert codes(refused) == ["DOMAIN_TAKEN"] and refused["domain"] is None
    assert refused["userErrors"][0]["field"] == ["input", "domain"]
    assert await audit_actions(services, second.organization.id) == ["sso.domain_claimed"]


@pytest.mark.parametrize(
    ("domain", "code"),
    [
        ("gmail.com", "PUBLIC_EMAIL_DOMAIN"),
        ("Outlook.com", "PUBLIC_EMAIL_DOMAIN"),
        ("yahoo.co.uk", "PUBLIC_EMAIL_DOMAIN"),
        ("localhost", "INVALID_DOMAIN"),
        ("not a domain", "INVALID_DOMAIN"),
        ("-bad.example", "INVALID_DOMAIN"),
        ("192.168.0.1", "INVALID_DOMAIN"),
        ("", "INVALID_DOMAIN"),
    ],
)
async def test_public_and_malformed_domains_are_refused(
    live: LiveServer, services: Services, domain: str, code: str
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    result = await claim(live, owner, domain)
    assert codes(result) == [code], result
    assert result["userErrors"][0]["field"] == ["input", "domain"]
    assert await audit_actions(services, owner.organization.id) == []


def test_domains_are_normalized_to_lower_case_a_labels() -> None:
    assert normalize_domain("@Bücher.DE.") == "xn--bcher-kva.de"
    assert normalize_domain("a." * 130 + "com") is None


async def test_only_the_customers_super_admin_manages_domains(
    live: LiveServer, services: Services, dns_server: DnsServer
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    admin = await create_actor(services, role=Role.ADMIN, organization=owner.organization)
    stranger = await create_actor(services, role=Role.SUPER_ADMIN)
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": "mine.example"}}))["domain"]

    body = await call(live, admin, CLAIM, {"input": {"domain": "admin.example"}})
    assert error_code(body) == "FORBIDDEN"
    body = await call(live, admin, VERIFY, {"id": claimed["id"]})
    assert error_code(body) == "FORBIDDEN"
    # Another tenant's claim is exactly as missing as one that never existed.
    result = await verify(live, stranger, claimed["id"])
    assert codes(result) == ["NOT_FOUND"]
    assert codes(await verify(live, stranger, "not-an-id")) == ["NOT_FOUND"]
    foreign = await claim(
        live, stranger, "theirs.example", organizationId=str(owner.organization.id)
    )
    assert codes(foreign) == ["NOT_FOUND"]
    assert dns_server.questions == []
