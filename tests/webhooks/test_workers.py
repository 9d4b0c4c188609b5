"""Several workers (and processes) share the webhook outbox without duplicates; a process killed
mid-delivery loses nothing: its leases expire and another process delivers, once per webhook-id as
an idempotent receiver sees it."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from db.database import Database
from domain.enums import Role
from domain.webhooks.worker import WebhookWorker
from runtime import Services
from settings import Settings
from tests.factories import create_actor
from tests.support.serve_process import serve_process
from tests.webhooks.factories import add_endpoint, emit
from tests.webhooks.receiver import running_receiver


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "webhook_poll_seconds": 0.05,
        "webhook_timeout_seconds": 2.0,
        "webhook_lease_seconds": 5,
        "webhook_batch_size": 5,
    }


async def test_two_workers_on_their_own_engines_deliver_each_event_once(
    services: Services, settings: Settings
) -> None:
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    async with running_receiver() as receiver:
        _, secret = await add_endpoint(
            services, actor.organization.id, receiver.url, ["device.registered"]
        )
        receiver.secrets = [secret]
        serials = [f"TWO-{i}" for i in range(40)]
        await emit(services, actor.organization.id, serials)
        # Two "processes": each its own engine (connection pool) and two loops.
        workers = [
            WebhookWorker(Database.from_url(settings.database_url), settings, loops=2, owns_db=True)
            for _ in range(2)
        ]
        for worker in workers:
            await worker.start()
        try:
            await receiver.wait_for(len(serials), within=60)
            await asyncio.sleep(0.5)  # time for a duplicate to show, were there one
        finally:
            for worker in workers:
                await worker.stop()
    assert len(receiver.requests) == len(serials)
    assert receiver.duplicates == 0 and receiver.unverified == 0
    got = sorted(p["data"]["details"]["serialNumber"] for p in receiver.processed.values())
    assert got == sorted(serials)


@pytest.mark.slow
async def test_a_killed_server_process_loses_nothing(
    services: Services, database_url: str, tmp_path: Path
) -> None:
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    timeouts = {
        "webhook_poll_seconds": "0.1",
        "webhook_timeout_seconds": "4",
        "webhook_lease_seconds": "6",
        "webhook_retry_base_seconds": "0.1",
        "webhook_retry_max_seconds": "0.5",
        "outbox_workers": "0",
    }
    async with running_receiver() as receiver:
        receiver.hang_seconds = 2.0  # every request is in flight when the process dies
        receiver.script = ["hang"] * 10
        _, secret = await add_endpoint(
            services, actor.organization.id, receiver.url, ["device.registered"]
        )
        receiver.secrets = [secret]
        serials = [f"KILL-{i}" for i in range(10)]
        async with serve_process(database_url, tmp_path, **timeouts) as first:
            await emit(services, actor.organization.id, serials)
            async with asyncio.timeout(20):
                await receiver.arrived_request.wait()
            first.process.kill()  # SIGKILL: no shutdown, the leases stay behind
            await first.process.wait()
        await asyncio.sleep(receiver.hang_seconds + 0.5)
        assert receiver.processed == {}  # nothing got through the dead process
        async with serve_process(database_url, tmp_path, **timeouts):
            await receiver.wait_for(len(serials), within=60)
    got = sorted(p["data"]["details"]["serialNumber"] for p in receiver.processed.values())
    assert got == sorted(serials)
    assert receiver.unverified == 0
