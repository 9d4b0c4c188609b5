"""Several workers (and processes) share the webhook outbox without duplicates; a process killed
mid-delivery loses nothing: its leases expire and another process delivers, once per webhook-id as
an idempotent receiver sees it."""

from __future__ import annotations

import asyncio
import contextlib
from collections import Counter
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest

from db.database import Database
from domain.enums import Role
from domain.webhooks.worker import WebhookWorker
from runtime import Services
from settings import Settings
from tests.devices.queries import REGISTER
from tests.factories import create_actor
from tests.support.gql import ok
from tests.support.serve_process import ServeProcess, serve_process
from tests.support.server import LiveServer
from tests.support.sockets import connection_owner
from tests.webhooks.factories import add_endpoint, emit
from tests.webhooks.receiver import Received, running_receiver
from tests.webhooks.support import create_endpoint, deliveries


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
    timeouts: dict[str, Any] = {
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


@contextlib.asynccontextmanager
async def _client_of(process: ServeProcess, services: Services, settings: Settings) -> Any:
    """The GraphQL helpers' view of a server process (the test's services mint the tokens)."""
    async with httpx.AsyncClient(base_url=process.url, timeout=30) as client:
        yield LiveServer(process.url, services, settings, client)


@pytest.mark.postgresql_only
@pytest.mark.slow
async def test_several_server_processes_deliver_each_event_once(
    services: Services, settings: Settings, database_url: str, tmp_path: Path
) -> None:
    """Issue 18: two ``server.py serve`` processes on one PostgreSQL database, a burst of events
    caused over GraphQL on both: every event arrives, signed, each webhook-id exactly once, and
    both processes delivered some (the receiver tells them apart by who holds the connection)."""
    actor = await create_actor(services, role=Role.SUPER_ADMIN)
    shared: dict[str, Any] = {
        # One issuer for both (as behind a load balancer): the test's tokens verify on either.
        "public_url": settings.public_url,
        "webhook_workers": "2",
        "webhook_poll_seconds": "0.1",
        "webhook_batch_size": "3",
        "outbox_workers": "0",
    }
    count = 48
    async with (
        running_receiver() as receiver,
        serve_process(database_url, tmp_path, **shared) as first,
        serve_process(database_url, tmp_path, **shared) as second,
        _client_of(first, services, settings) as a,
        _client_of(second, services, settings) as b,
    ):
        pids = [first.process.pid, second.process.pid]
        receiver_port = urlsplit(receiver.url).port
        assert receiver_port is not None
        sent_by: dict[str, int | None] = {}

        def note_sender(request: Received) -> None:
            assert request.peer_port is not None
            sent_by[request.webhook_id] = connection_owner(request.peer_port, receiver_port, pids)

        receiver.on_request = note_sender
        endpoint, secret = await create_endpoint(a, actor, receiver.url, ["device.registered"])
        receiver.secrets = [secret]

        # The burst: registrations on both processes at once, a few in flight on each.
        gates = {id(a): asyncio.Semaphore(4), id(b): asyncio.Semaphore(4)}

        async def register(i: int) -> None:
            live = (a, b)[i % 2]
            device = {
                "kind": "CAMERA",
                "serialNumber": f"MULTI-{i}",
                "macAddress": f"02:00:00:00:{i // 256:02x}:{i % 256:02x}",
                "model": "M",
            }
            async with gates[id(live)]:
                await ok(live, actor, REGISTER, {"input": device})

        await asyncio.gather(*(register(i) for i in range(count)))
        await receiver.wait_for(count, within=30)
        await asyncio.sleep(1.0)  # time for a duplicate to show, were there one
        log = await deliveries(b, actor, endpoint["id"])

    assert receiver.unverified == 0 and receiver.duplicates == 0
    ids = [r.webhook_id for r in receiver.requests]
    assert len(ids) == count and len(set(ids)) == count  # each webhook-id exactly once
    got = sorted(p["data"]["details"]["serialNumber"] for p in receiver.processed.values())
    assert got == sorted(f"MULTI-{i}" for i in range(count))
    # The delivery log agrees: one successful attempt each, no retry behind the receiver's back.
    assert len(log) == count
    assert {(d["status"], d["attempts"]) for d in log} == {("SUCCEEDED", 1)}
    assert {d["webhookId"] for d in log} == set(ids)
    # Both processes took part.
    per_process = Counter(sent_by.values())
    assert set(per_process) == set(pids), per_process
