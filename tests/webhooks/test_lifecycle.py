"""An endpoint's life: secret rotation with an overlap during which both secrets sign; days of
failures make deliveries DEAD and disable the endpoint, mailing its admins; enabling it again
resumes; deleting it ends its deliveries."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select, update
from standardwebhooks import Webhook
from standardwebhooks.webhooks import WebhookVerificationError

from db.models import AuditEvent, OutboxMessage, WebhookEndpoint
from domain.enums import Role
from kit.clock import utcnow
from tests.devices.support import register
from tests.factories import Actor, create_actor
from tests.support.gql import call, ok, payload_of
from tests.support.server import LiveServer
from tests.webhooks.receiver import running_receiver
from tests.webhooks.support import (
    DELETE,
    ENDPOINTS,
    EVENT_TYPES,
    ROTATE,
    UPDATE,
    create_endpoint,
    deliveries,
)

DOCS = (Path(__file__).resolve().parents[2] / "docs" / "WEBHOOKS.md").read_text()


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "webhook_poll_seconds": 0.05,
        "webhook_timeout_seconds": 1.0,
        "webhook_lease_seconds": 5,
        "webhook_retry_base_seconds": 0.05,
        "webhook_retry_max_seconds": 0.2,
        "webhook_give_up_seconds": 2,
        "webhook_disable_after_seconds": 1,
    }


@pytest.fixture
async def admin(live: LiveServer) -> Actor:
    return await create_actor(live.services, role=Role.SUPER_ADMIN)


async def test_rotation_signs_with_both_secrets_until_the_overlap_ends(
    live: LiveServer, admin: Actor
) -> None:
    async with running_receiver() as receiver:
        endpoint, old = await create_endpoint(live, admin, receiver.url, ["device.registered"])
        rotated = await ok(live, admin, ROTATE, {"input": {"id": endpoint["id"]}})
        new = rotated["secret"]
        assert new.startswith("whsec_") and new != old
        assert rotated["endpoint"]["previousSecretExpiresAt"] is not None
        receiver.secrets = [old, new]
        await register(live, admin, "ROT-1")
        await receiver.wait_for(1)
        during = receiver.requests[-1]
        # Two signatures, one per secret: a receiver holding either one accepts.
        assert len(during.headers["webhook-signature"].split(" ")) == 2
        assert during.verified_with == [old, new]

        # The overlap ends (as if a day had passed): only the new secret signs.
        async with live.services.db.unit_of_work() as session:
            await session.execute(
                update(WebhookEndpoint)
                .where(WebhookEndpoint.id == uuid.UUID(endpoint["id"]))
                .values(previous_secret_expires_at=utcnow() - timedelta(seconds=1))
            )
        await register(live, admin, "ROT-2")
        await receiver.wait_for(2)
        after = receiver.requests[-1]
    assert after.verified_with == [new]
    with pytest.raises(WebhookVerificationError):
        Webhook(old).verify(after.body, after.headers)
    listed = (await call(live, admin, ENDPOINTS))["data"]["webhookEndpoints"]
    assert [e["previousSecretExpiresAt"] for e in listed] == [None]
    # The secret is never shown again: the type has no field for it, and it is sealed at rest.
    assert old not in str(listed) and new not in str(listed)
    async with live.services.db.read_session() as session:
        stored = await session.get(WebhookEndpoint, uuid.UUID(endpoint["id"]))
    assert stored is not None
    assert (
        new not in stored.sealed_secret and new.removeprefix("whsec_") not in stored.sealed_secret
    )


async def test_days_of_failures_end_in_dead_deliveries_a_disabled_endpoint_and_mail(
    live: LiveServer, admin: Actor
) -> None:
    colleague = await create_actor(live.services, role=Role.ADMIN, organization=admin.organization)
    async with running_receiver() as receiver:
        receiver.script = ["500"] * 10_000
        endpoint, secret = await create_endpoint(live, admin, receiver.url, ["device.registered"])
        receiver.secrets = [secret]
        await register(live, admin, "FAIL-1")

        async def disabled() -> dict[str, Any] | None:
            (found,) = (await call(live, admin, ENDPOINTS))["data"]["webhookEndpoints"]
            return found if not found["enabled"] else None

        found = await _until(disabled)
        assert found["disabledReason"] == "FAILING" and found["failingSince"] is not None

        async def dead() -> list[dict[str, Any]] | None:
            log = await deliveries(live, admin, endpoint["id"])
            return log if log and log[0]["status"] == "DEAD" else None

        # Disabled first (1 s), dead at its give-up time (2 s): the worker no longer tries a
        # disabled endpoint, so the delivery waits PENDING; enabling it resumes it, and the
        # next failure past the give-up time kills it.
        enabled = await ok(live, admin, UPDATE, {"input": {"id": endpoint["id"], "enabled": True}})
        assert enabled["endpoint"]["enabled"] is True
        assert enabled["endpoint"]["disabledReason"] is None
        (entry,) = await _until(dead)
        assert entry["attempts"] >= 2 and entry["responseStatus"] == 500
        assert entry["lastError"] == "HTTP 500" and entry["nextAttemptAt"] is None

    async with live.services.db.read_session() as session:
        mails = (
            await session.scalars(
                select(OutboxMessage.recipient).where(
                    OutboxMessage.template == "webhook_endpoint_disabled"
                )
            )
        ).all()
        actions = (
            await session.scalars(
                select(AuditEvent.action).where(
                    AuditEvent.organization_id == admin.organization.id,
                    AuditEvent.action.like("webhook.%"),
                )
            )
        ).all()
    assert sorted(mails) == sorted([admin.user.email, colleague.user.email])
    assert "webhook.endpoint_disabled" in actions
    assert "webhook.endpoint_created" in actions and "webhook.endpoint_updated" in actions


async def test_a_disabled_endpoint_gets_nothing_and_a_deleted_one_is_gone(
    live: LiveServer, admin: Actor
) -> None:
    async with running_receiver() as receiver:
        endpoint, secret = await create_endpoint(live, admin, receiver.url, ["device.registered"])
        receiver.secrets = [secret]
        off = await ok(live, admin, UPDATE, {"input": {"id": endpoint["id"], "enabled": False}})
        assert off["endpoint"]["enabled"] is False and off["endpoint"]["disabledReason"] is None
        await register(live, admin, "OFF-1")
        await asyncio.sleep(0.5)
        assert receiver.requests == []  # disabled endpoints are not even queued
        deleted = await ok(live, admin, DELETE, {"input": {"id": endpoint["id"]}})
        assert deleted["deletedEndpointId"] == endpoint["id"]
    assert (await call(live, admin, ENDPOINTS))["data"]["webhookEndpoints"] == []
    again = payload_of(await call(live, admin, DELETE, {"input": {"id": endpoint["id"]}}))
    assert again["userErrors"][0]["code"] == "NOT_FOUND"


async def test_the_catalogue_is_listed_and_documented(live: LiveServer, admin: Actor) -> None:
    types = (await call(live, admin, EVENT_TYPES))["data"]["webhookEventTypes"]
    names = [t["name"] for t in types]
    for required in (
        "device.registered",
        "device.removed",
        "member.invited",
        "member.removed",
        "license.attached",
        "partner.mapping.changed",
        "organization.suspended",
    ):
        assert required in names
    for name in names:
        assert f"`{name}`" in DOCS, f"docs/WEBHOOKS.md does not document {name}"


async def _until(check: Any, within: float = 30.0) -> Any:
    async with asyncio.timeout(within):
        while True:
            result = await check()
            if result:
                return result
            await asyncio.sleep(0.1)
