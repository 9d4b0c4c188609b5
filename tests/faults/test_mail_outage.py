"""The outbox through outages: PostgreSQL cut off while delivered mail waits to be marked SENT,
and the SMTP relay refusing, resetting or silent. Nothing is lost and nothing is sent twice."""

from __future__ import annotations

import asyncio
from collections import Counter
from collections.abc import AsyncIterator, Callable
from typing import Any

import pytest

from db.database import Database, DatabaseTimeouts
from domain.enums import OutboxStatus
from mail.worker import OutboxWorker
from settings import Settings
from tests.faults.conftest import MODES
from tests.mail._helpers import addresses, enqueue_to, eventually, outbox_rows
from tests.support.faults import FaultProxy, Mode, fault_proxy
from tests.support.smtp import SmtpSink

# The chaos tests cut a database server off: PostgreSQL (tests/conftest.py).
pytestmark = pytest.mark.postgresql_only

FAST_MAIL: dict[str, Any] = {
    "outbox_poll_seconds": 0.05,
    "outbox_retry_base_seconds": 0.05,
    "outbox_retry_max_seconds": 0.2,
    "outbox_outage_max_pause_seconds": 0.2,
    "outbox_max_attempts": 100,
    "smtp_timeout_seconds": 0.5,
}
SHORT_WAITS = DatabaseTimeouts(connect=1.0, pool=1.0, statement=1.0, command=1.5)


@pytest.fixture
def sink() -> Any:
    server = SmtpSink()
    server.start()
    yield server
    server.stop()


@pytest.fixture
async def direct_db(database_url: str, db_proxy: FaultProxy) -> AsyncIterator[Database]:
    """The test's own way to the database, around the proxy."""
    db = Database.from_url(database_url, pool_size=2)
    yield db
    await db.dispose()


@pytest.fixture
async def workers(
    db_proxy: FaultProxy,
) -> AsyncIterator[Callable[[Settings], OutboxWorker]]:
    """Workers, each with an engine of its own (as two processes have), stopped at teardown
    after the proxy lets everything through again."""
    made: list[OutboxWorker] = []

    def make(settings: Settings) -> OutboxWorker:
        db = Database.from_url(settings.database_url, pool_size=2, timeouts=SHORT_WAITS)
        worker = OutboxWorker(db, settings, owns_db=True)
        made.append(worker)
        return worker

    yield make
    await db_proxy.set_mode("pass")
    for worker in made:
        await worker.stop()


def _once_each(sink: SmtpSink, recipients: list[str]) -> None:
    counts = Counter(to for m in sink.messages for to in m.recipients if to in recipients)
    assert {to: counts[to] for to in recipients} == dict.fromkeys(recipients, 1)


@pytest.mark.parametrize("mode", MODES)
async def test_mail_delivered_during_a_database_outage_is_recorded_once_it_is_back(
    db_proxy: FaultProxy,
    direct_db: Database,
    workers: Callable[[Settings], OutboxWorker],
    make_settings: Callable[..., Settings],
    database_url: str,
    sink: SmtpSink,
    mode: Mode,
) -> None:
    # The chaos run: a 10 s database outage while the relay was slow duplicated what the worker
    # had sent (the SENT update gave up after 0.6 s, the leases expired, another worker resent).
    sink.data_delay = 0.15
    settings = make_settings(
        database_url=db_proxy.url(database_url),
        smtp_url=sink.url,
        outbox_lease_seconds=6,
        outbox_batch_size=4,
        **FAST_MAIL,
    )
    recipients = addresses(12)
    await enqueue_to(direct_db, recipients, settings.public_url)
    for worker in (workers(settings), workers(settings)):
        await worker.start()

    async def some_delivered() -> bool:
        return len(sink.messages) >= 2

    await eventually(some_delivered)
    await db_proxy.set_mode(mode)
    await asyncio.sleep(3.0)  # far beyond the old 0.6 s of retries
    await db_proxy.set_mode("pass")

    async def all_sent() -> bool:
        rows = await outbox_rows(direct_db, recipients)
        return all(r.status is OutboxStatus.SENT for r in rows)

    await eventually(all_sent, within=30)
    await asyncio.sleep(7.0)  # past every lease taken before the outage: nothing comes again
    _once_each(sink, recipients)


@pytest.mark.parametrize("mode", MODES)
async def test_a_relay_that_is_down_costs_no_attempt_and_loses_nothing(
    db_proxy: FaultProxy,
    direct_db: Database,
    workers: Callable[[Settings], OutboxWorker],
    make_settings: Callable[..., Settings],
    database_url: str,
    sink: SmtpSink,
    mode: Mode,
) -> None:
    async with fault_proxy(sink.url, 25) as relay:
        await relay.set_mode(mode)
        settings = make_settings(
            database_url=db_proxy.url(database_url), smtp_url=relay.url(sink.url), **FAST_MAIL
        )
        recipients = addresses(3)
        await enqueue_to(direct_db, recipients, settings.public_url)
        await workers(settings).start()
        await asyncio.sleep(2.0)
        assert sink.messages == [] or not any(
            to in m.recipients for m in sink.messages for to in recipients
        )
        rows = await outbox_rows(direct_db, recipients)
        # An outage is not the messages' fault: no attempt spent, nothing dead.
        assert all(r.status is OutboxStatus.PENDING and r.attempts == 0 for r in rows)

        await relay.set_mode("pass")
        await sink.wait_for(recipients[-1], within=20)

        async def all_sent() -> bool:
            rows = await outbox_rows(direct_db, recipients)
            return all(r.status is OutboxStatus.SENT for r in rows)

        await eventually(all_sent, within=20)
        _once_each(sink, recipients)
