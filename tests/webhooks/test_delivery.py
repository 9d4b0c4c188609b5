"""Events reach a real receiver on loopback, signed (Standard Webhooks), once per webhook-id as an
idempotent receiver sees it, through receiver failures; the delivery log tells what happened and
any delivery can be replayed."""

from __future__ import annotations

import asyncio
import uuid
from typing import Any

import pytest

from domain.enums import Role
from tests.devices.queries import REMOVE
from tests.devices.support import register
from tests.factories import Actor, create_actor
from tests.support.gql import ok
from tests.support.server import LiveServer
from tests.webhooks.receiver import running_receiver
from tests.webhooks.support import REPLAY, create_endpoint, deliveries


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "webhook_poll_seconds": 0.05,
        "webhook_timeout_seconds": 1.0,
        "webhook_lease_seconds": 5,
        "webhook_retry_base_seconds": 0.05,
        "webhook_retry_max_seconds": 0.2,
    }


@pytest.fixture
async def admin(live: LiveServer) -> Actor:
    return await create_actor(live.services, role=Role.SUPER_ADMIN)


async def wait_until(check: Any, within: float = 20.0) -> Any:
    async with asyncio.timeout(within):
        while True:
            result = await check()
            if result:
                return result
            await asyncio.sleep(0.05)


async def test_events_arrive_signed_with_a_documented_payload(
    live: LiveServer, admin: Actor
) -> None:
    async with running_receiver() as receiver:
        endpoint, secret = await create_endpoint(
            live, admin, receiver.url, ["device.registered", "device.removed"]
        )
        assert secret.startswith("whsec_")
        receiver.secrets = [secret]
        device = await register(live, admin, "WH-SERIAL-1")
        await ok(live, admin, REMOVE, {"input": {"id": device["id"]}})
        await receiver.wait_for(2)

    assert receiver.unverified == 0 and receiver.duplicates == 0
    assert all(r.verified_with == [secret] for r in receiver.requests)
    registered, removed = (r.json for r in receiver.requests)
    assert registered["type"] == "device.registered"
    assert removed["type"] == "device.removed"
    assert registered["version"] == 1
    data = registered["data"]
    assert data["organizationId"] == str(admin.organization.id)
    assert data["actor"] == {"userId": str(admin.user.id), "email": admin.user.email}
    assert data["target"] == {"type": "device", "id": device["id"]}
    assert data["details"]["serialNumber"] == "WH-SERIAL-1"
    headers = receiver.requests[0].headers
    assert headers["webhook-id"].startswith("msg_")
    assert headers["content-type"] == "application/json"

    async def recorded() -> list[dict[str, Any]] | None:
        # The receiver has answered; the worker records the outcome right after.
        log = await deliveries(live, admin, endpoint["id"])
        return log if all(d["status"] != "PENDING" for d in log) else None

    log = await wait_until(recorded)
    assert [d["eventType"] for d in log] == ["device.removed", "device.registered"]  # newest first
    for entry in log:
        assert entry["status"] == "SUCCEEDED"
        assert entry["attempts"] == 1
        assert entry["responseStatus"] == 200
        assert entry["durationMs"] is not None and entry["durationMs"] >= 0
        assert entry["deliveredAt"] is not None and entry["nextAttemptAt"] is None


async def test_an_unsubscribed_type_or_a_rolled_back_change_sends_nothing(
    live: LiveServer, admin: Actor
) -> None:
    async with running_receiver() as receiver:
        endpoint, secret = await create_endpoint(live, admin, receiver.url, ["device.removed"])
        receiver.secrets = [secret]
        await register(live, admin, "WH-SERIAL-2")  # device.registered: not wanted
        # A refused registration (the serial number is taken) rolls back and sends nothing.
        taken = await live.graphql(
            "mutation($i: RegisterDeviceInput!) { registerDevice(input: $i) { userErrors { code } } }",
            {
                "i": {
                    "kind": "CAMERA",
                    "serialNumber": "WH-SERIAL-2",
                    "macAddress": "02:aa:bb:cc:dd:ee",
                    "model": "M",
                }
            },
            headers=admin.headers,
        )
        assert taken["data"]["registerDevice"]["userErrors"][0]["code"] == "SERIAL_NUMBER_TAKEN"
        await asyncio.sleep(0.5)
    assert receiver.requests == []
    assert await deliveries(live, admin, endpoint["id"]) == []


async def test_failures_then_recovery_deliver_every_event_once(
    live: LiveServer, admin: Actor
) -> None:
    async with running_receiver() as receiver:
        receiver.hang_seconds = 3.0  # past the 1 s timeout
        receiver.script = ["500", "hang", "redirect", "500", "hang"]
        endpoint, secret = await create_endpoint(live, admin, receiver.url, ["device.registered"])
        receiver.secrets = [secret]
        serials = [f"WH-RETRY-{i}" for i in range(6)]
        for serial in serials:
            await register(live, admin, serial)
        await receiver.wait_for(len(serials), within=60)

        async def all_succeeded() -> list[dict[str, Any]] | None:
            log = await deliveries(live, admin, endpoint["id"])
            return log if all(d["status"] == "SUCCEEDED" for d in log) else None

        log = await wait_until(all_succeeded)

    got = sorted(p["data"]["details"]["serialNumber"] for p in receiver.processed.values())
    assert got == sorted(serials)
    assert receiver.unverified == 0
    # Every failure was retried with the same webhook-id and a fresh, valid signature.
    assert len(receiver.requests) >= len(serials) + 5
    assert all(r.verified_with == [secret] for r in receiver.requests)
    assert len(log) == len(serials)
    assert sum(d["attempts"] for d in log) >= len(serials) + 5
    # A redirect is an answer, never followed: the receiver was asked again later instead.
    assert not any(r.headers.get("host", "").endswith(":9") for r in receiver.requests)


async def test_a_replay_sends_the_same_message_again(live: LiveServer, admin: Actor) -> None:
    async with running_receiver() as receiver:
        endpoint, secret = await create_endpoint(live, admin, receiver.url, ["device.registered"])
        receiver.secrets = [secret]
        await register(live, admin, "WH-REPLAY-1")
        await receiver.wait_for(1)
        (first,) = await deliveries(live, admin, endpoint["id"])
        replay = (await ok(live, admin, REPLAY, {"input": {"id": first["id"]}}))["delivery"]
        assert replay["replayOf"] == first["id"]
        assert replay["webhookId"] == first["webhookId"]
        assert replay["status"] == "PENDING"

        async def two_requests() -> bool:
            return len(receiver.requests) == 2

        await wait_until(two_requests)
    # The idempotent receiver recognized it; both requests were signed and identical in body.
    assert receiver.duplicates == 1
    assert receiver.requests[0].body == receiver.requests[1].body

    async def both_succeeded() -> bool:
        log = await deliveries(live, admin, endpoint["id"])
        return [d["status"] for d in log] == ["SUCCEEDED", "SUCCEEDED"]

    await wait_until(both_succeeded)

    missing = await live.graphql(
        REPLAY, {"input": {"id": str(uuid.uuid4())}}, headers=admin.headers
    )
    assert missing["data"]["replayWebhookDelivery"]["userErrors"][0]["code"] == "NOT_FOUND"
