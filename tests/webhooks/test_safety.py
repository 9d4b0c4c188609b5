"""Where webhooks may go (SSRF): https and public addresses only in production, checked when an
endpoint is saved and again at every attempt; no redirects; bounded size."""

from __future__ import annotations

import asyncio
import ipaddress
import uuid
from typing import Any

import pytest

from db.enums import WebhookDeliveryStatus
from db.models import WebhookDelivery
from domain.enums import Role
from domain.webhooks.addresses import (
    AddressPolicy,
    RefusedAddress,
    Target,
    parse_url,
    resolve,
)
from domain.webhooks.worker import WebhookWorker
from runtime import Services
from settings import Settings
from tests.factories import create_actor
from tests.support.gql import call, payload_of
from tests.support.server import LiveServer
from tests.webhooks.factories import add_endpoint, emit
from tests.webhooks.receiver import running_receiver
from tests.webhooks.support import CREATE

PRODUCTION = AddressPolicy(allow_http=False, allow_loopback=False)
DEVELOPMENT = AddressPolicy(allow_http=True, allow_loopback=True)


@pytest.mark.parametrize(
    ("url", "code"),
    [
        ("http://hooks.example.com/x", "INSECURE_URL"),
        ("https://127.0.0.1/x", "PRIVATE_ADDRESS"),
        ("https://localhost:8443/x", "PRIVATE_ADDRESS"),
        ("https://[::1]/x", "PRIVATE_ADDRESS"),
        ("https://[::ffff:127.0.0.1]/x", "PRIVATE_ADDRESS"),
        ("https://10.1.2.3/x", "PRIVATE_ADDRESS"),
        ("https://172.16.0.1/x", "PRIVATE_ADDRESS"),
        ("https://192.168.1.1/x", "PRIVATE_ADDRESS"),
        ("https://169.254.169.254/latest/meta-data/", "PRIVATE_ADDRESS"),  # cloud metadata
        ("https://[fd00:ec2::254]/", "PRIVATE_ADDRESS"),  # AWS metadata over IPv6
        ("https://100.100.100.200/", "PRIVATE_ADDRESS"),  # shared address space (Alibaba)
        ("https://0.0.0.0/x", "PRIVATE_ADDRESS"),
        ("https://[fe80::1]/x", "PRIVATE_ADDRESS"),
        ("https://user:pass@hooks.example.com/x", "INVALID_URL"),
        ("https://hooks.example.com/x#frag", "INVALID_URL"),
        ("ftp://hooks.example.com/x", "INVALID_URL"),
        ("hooks.example.com/x", "INVALID_URL"),
        ("https://hooks.example.com/a b", "INVALID_URL"),
    ],
)
def test_production_refuses(url: str, code: str) -> None:
    with pytest.raises(RefusedAddress) as refused:
        parse_url(url, PRODUCTION)
    assert refused.value.code == code


def test_production_accepts_public_https() -> None:
    target = parse_url("https://hooks.example.com:8443/in?x=1", PRODUCTION)
    assert (target.host, target.port, target.path) == ("hooks.example.com", 8443, "/in?x=1")
    parse_url("https://93.184.216.34/in", PRODUCTION)


def test_development_allows_loopback_but_never_private_or_metadata() -> None:
    parse_url("http://127.0.0.1:8080/hook", DEVELOPMENT)
    parse_url("http://localhost:8080/hook", DEVELOPMENT)
    for url in ("http://169.254.169.254/", "http://10.0.0.1/", "http://192.168.0.10/"):
        with pytest.raises(RefusedAddress):
            parse_url(url, DEVELOPMENT)


async def test_a_name_is_checked_by_what_it_resolves_to_at_delivery_time() -> None:
    # A name that resolves to loopback, as a rebinding attacker's name would at delivery time
    # (built past parse_url, whose shortcut already refuses the name "localhost" itself).
    target = Target(scheme="https", host="localhost", port=8443, path="/x")
    with pytest.raises(RefusedAddress) as refused:
        await resolve(target, PRODUCTION)
    assert refused.value.code == "PRIVATE_ADDRESS"
    address = await resolve(target, DEVELOPMENT)
    assert ipaddress.ip_address(address).is_loopback
    with pytest.raises(RefusedAddress) as unknown:
        await resolve(Target("https", "no-such-host.invalid", 443, "/"), PRODUCTION)
    assert unknown.value.code == "UNRESOLVABLE"


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "webhook_allow_http": False,
        "webhook_allow_loopback": False,
        "webhook_workers": 0,
        "webhook_poll_seconds": 0.05,
        "webhook_timeout_seconds": 1.0,
        "webhook_lease_seconds": 5,
    }


async def test_the_api_refuses_what_production_refuses(live: LiveServer) -> None:
    admin = await create_actor(live.services, role=Role.ADMIN)
    for url, code in [
        ("http://hooks.example.com/in", "INSECURE_URL"),
        ("https://169.254.169.254/latest", "PRIVATE_ADDRESS"),
        ("https://127.0.0.1:9/x", "PRIVATE_ADDRESS"),
    ]:
        body = await call(
            live, admin, CREATE, {"input": {"url": url, "events": ["device.registered"]}}
        )
        payload = payload_of(body)
        assert payload["endpoint"] is None and payload["secret"] is None
        assert payload["userErrors"][0]["code"] == code, payload
        assert payload["userErrors"][0]["field"] == ["input", "url"]
    unknown = payload_of(
        await call(
            live,
            admin,
            CREATE,
            {"input": {"url": "https://hooks.example.com/in", "events": ["device.exploded"]}},
        )
    )
    assert [(e["code"], e["field"]) for e in unknown["userErrors"]] == [
        ("UNKNOWN_EVENT_TYPE", ["input", "events"])
    ]


async def test_an_address_refused_at_delivery_time_is_not_contacted(
    services: Services, settings: Settings
) -> None:
    """The endpoint was saved when loopback was allowed (or its name pointed elsewhere then);
    at delivery the check runs again and nothing is sent."""
    settings = settings.model_copy(update={"webhook_allow_http": True})
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    async with running_receiver() as receiver:
        endpoint_id, _ = await add_endpoint(
            services, actor.organization.id, receiver.url, ["device.registered"]
        )
        await emit(services, actor.organization.id, ["SSRF-1"])
        worker = WebhookWorker(services.db, settings, loops=1)
        await worker.start()
        try:
            delivery = await _until_attempted(services, endpoint_id)
        finally:
            await worker.stop()
    assert receiver.requests == []
    assert delivery.status is WebhookDeliveryStatus.PENDING  # retried later, in case DNS changes
    assert delivery.response_status is None
    assert delivery.last_error is not None and "Loopback" in delivery.last_error


async def test_a_payload_over_the_limit_is_dead_at_once(
    services: Services, make_settings: Any
) -> None:
    settings = make_settings(webhook_max_payload_bytes=1024, webhook_poll_seconds=0.05)
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    async with running_receiver() as receiver:
        endpoint_id, _ = await add_endpoint(
            services, actor.organization.id, receiver.url, ["device.registered"]
        )
        await emit(services, actor.organization.id, ["BIG-" + "x" * 2000])
        worker = WebhookWorker(services.db, settings, loops=1)
        await worker.start()
        try:
            delivery = await _until_attempted(services, endpoint_id)
        finally:
            await worker.stop()
    assert receiver.requests == []
    assert delivery.status is WebhookDeliveryStatus.DEAD
    assert delivery.last_error is not None and "over the limit" in delivery.last_error


async def _until_attempted(services: Services, endpoint_id: uuid.UUID) -> WebhookDelivery:
    from sqlalchemy import select

    async with asyncio.timeout(20):
        while True:
            async with services.db.read_session() as session:
                row = await session.scalar(
                    select(WebhookDelivery).where(
                        WebhookDelivery.endpoint_id == endpoint_id,
                        WebhookDelivery.attempts > 0,
                    )
                )
            if row is not None:
                return row
            await asyncio.sleep(0.05)
