"""The outbox worker against a real database (SQLite and PostgreSQL) and real SMTP servers:
no lost mail, no phantom mail, each message once."""

from __future__ import annotations

import asyncio
import logging
import random
from collections import Counter
from collections.abc import Awaitable, Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import update

from db.database import Database
from db.models import OutboxMessage
from domain.enums import OutboxStatus
from kit.backoff import backoff_delay
from kit.clock import utcnow
from mail import repository
from mail.catalog import sample
from mail.outbox import enqueue
from mail.worker import OutboxWorker
from runtime import Services
from settings import Settings
from tests.conftest import build_services
from tests.mail._helpers import addresses, enqueue_to, eventually, outbox_rows
from tests.support.certs import CertificateFiles
from tests.support.smtp import SmtpSink

# Fast retries so that the tests spend their time on behaviour, not on waiting.
FAST = {
    "outbox_poll_seconds": 0.05,
    "outbox_retry_base_seconds": 0.05,
    "outbox_retry_max_seconds": 0.2,
    "outbox_outage_max_pause_seconds": 0.2,
    "outbox_max_attempts": 100,
}

MakeSettings = Callable[..., Settings]
MakeSink = Callable[..., SmtpSink]
MakeWorker = Callable[..., OutboxWorker]


async def _db(settings: Settings) -> Database:
    return Database.from_url(settings.database_url, pool_size=5)


@pytest.fixture
async def db(make_settings: MakeSettings) -> Any:
    database = await _db(make_settings())
    yield database
    await database.dispose()


def _all_sent(db: Database, recipients: list[str]) -> Callable[[], Awaitable[bool]]:
    async def check() -> bool:
        rows = await outbox_rows(db, recipients)
        return len(rows) == len(recipients) and all(r.status is OutboxStatus.SENT for r in rows)

    return check


def _assert_once_each(sink: SmtpSink, recipients: list[str]) -> None:
    counts = Counter(r for m in sink.messages for r in m.recipients if r in set(recipients))
    assert {r: counts[r] for r in recipients} == dict.fromkeys(recipients, 1)
    ids = Counter(m.message_id for m in sink.messages if m.recipients[0] in set(recipients))
    assert max(ids.values()) == 1


async def test_a_rolled_back_unit_of_work_sends_nothing(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    settings = make_settings(smtp_url=sink.url, **FAST)
    await make_worker(db, settings).start()
    [phantom, real] = addresses(2)

    class Boom(Exception):
        pass

    with pytest.raises(Boom):
        async with db.unit_of_work() as session:
            await enqueue(
                session,
                mail=sample("activation"),
                to=phantom,
                public_url=settings.public_url,
            )
            raise Boom
    await enqueue_to(db, [real], settings.public_url)
    await sink.wait_for(real)
    # The worker has been through the outbox since the rollback, and found nothing for it.
    await asyncio.sleep(0.2)
    assert sink.to(phantom) == []
    assert await outbox_rows(db, [phantom]) == []


async def test_a_closed_port_delays_mail_and_loses_none(
    db: Database,
    make_settings: MakeSettings,
    make_sink: MakeSink,
    make_worker: MakeWorker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sink = make_sink()
    sink.stop()  # the relay is down: its port refuses connections
    settings = make_settings(smtp_url=sink.url, **FAST)
    await make_worker(db, settings, loops=2).start()
    recipients = addresses(5)
    with caplog.at_level(logging.WARNING, logger="portal.mail"):
        await enqueue_to(db, recipients, settings.public_url)

        async def tried() -> bool:
            return all(r.last_error for r in await outbox_rows(db, recipients))

        await eventually(tried)
        await asyncio.sleep(0.3)
    rows = await outbox_rows(db, recipients)
    # An outage is not the messages' fault: they wait without spending attempts.
    assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.PENDING, 0)}
    assert "mail relay unavailable" in caplog.text
    sink.start()
    await eventually(_all_sent(db, recipients))
    _assert_once_each(sink, recipients)
    rows = await outbox_rows(db, recipients)
    assert {(r.attempts, r.lease_owner) for r in rows} == {(1, None)}
    assert all("Activation code:" in r.text_body for r in rows)  # outbox_scrub_sent=False


async def test_a_relay_answering_451_delays_mail_and_loses_none(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    sink.refuse = True
    settings = make_settings(smtp_url=sink.url, outbox_scrub_sent=True, **FAST)
    await make_worker(db, settings, loops=2).start()
    recipients = addresses(5)
    await enqueue_to(db, recipients, settings.public_url)

    async def each_tried_twice() -> bool:
        return all(r.attempts >= 2 for r in await outbox_rows(db, recipients))

    await eventually(each_tried_twice)
    rows = await outbox_rows(db, recipients)
    assert all(r.status is OutboxStatus.PENDING and "451" in (r.last_error or "") for r in rows)
    assert sink.messages == []
    sink.refuse = False
    await eventually(_all_sent(db, recipients))
    _assert_once_each(sink, recipients)
    rows = await outbox_rows(db, recipients)
    assert all(r.attempts >= 3 for r in rows)
    # What was sent no longer keeps the activation code in clear text.
    assert {(r.text_body, r.html_body) for r in rows} == {("", "")}


@pytest.mark.parametrize("layout", ["one process, 4 loops", "two processes, 2 loops each"])
async def test_several_workers_deliver_each_message_exactly_once(
    layout: str,
    db: Database,
    make_settings: MakeSettings,
    make_sink: MakeSink,
    make_worker: MakeWorker,
) -> None:
    sink = make_sink()
    # Small batches: more claims, more chances for two workers to reach for the same rows.
    settings = make_settings(smtp_url=sink.url, outbox_batch_size=5, **FAST)
    extra: list[Services] = []
    workers: list[OutboxWorker] = []
    if layout.startswith("one"):
        workers.append(make_worker(db, settings, loops=4))
    else:
        # Separate Services (engines, pools, workers) on one database stand in for processes.
        for _ in range(2):
            services = await build_services(settings)
            extra.append(services)
            workers.append(make_worker(services.db, settings, loops=2))
    try:
        for worker in workers:
            await worker.start()
        recipients = addresses(200)
        # Written while the workers run, in several transactions, as requests would.
        for start in range(0, 200, 50):
            await enqueue_to(db, recipients[start : start + 50], settings.public_url)

        await eventually(_all_sent(db, recipients), within=60)
        await asyncio.sleep(0.3)  # a duplicate, if there were one, would have time to arrive
        _assert_once_each(sink, recipients)
        rows = await outbox_rows(db, recipients)
        assert {r.attempts for r in rows} == {1}
        # The work was shared: several SMTP connections (one per busy loop) delivered it.
        assert len({m.peer for m in sink.messages}) >= 2
    finally:
        for worker in workers:
            await worker.stop()
        for services in extra:
            await services.close()


async def test_a_dead_workers_lease_expires_and_the_mail_goes_out(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    settings = make_settings(
        smtp_url=sink.url, outbox_lease_seconds=2, smtp_timeout_seconds=0.5, **FAST
    )
    [to] = addresses(1)
    await enqueue_to(db, [to], settings.public_url)
    # A worker claims the message and dies before sending it.
    async with db.unit_of_work() as session:
        claimed = await repository.claim(
            session, owner="dead-host:1:abc:0", limit=10, lease=timedelta(seconds=2), now=utcnow()
        )
    assert [m.recipient for m in claimed] == [to]
    await make_worker(db, settings).start()
    await asyncio.sleep(1.0)
    assert sink.to(to) == []  # still leased: nobody else may send it
    [mail] = await sink.wait_for(to, within=5)
    await eventually(_all_sent(db, [to]))
    [row] = await outbox_rows(db, [to])
    assert row.lease_owner is None
    assert row.sent_at is not None and row.sent_at >= claimed[0].leased_until
    assert mail.message_id == row.message_id


async def test_a_failure_is_recorded_with_its_backoff(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    [to] = addresses(1)
    sink.data_replies[to] = "452 4.2.2 mailbox full"
    settings = make_settings(
        smtp_url=sink.url, outbox_retry_base_seconds=60, outbox_retry_max_seconds=600
    )
    await make_worker(db, settings).start()
    before = utcnow()
    await enqueue_to(db, [to], settings.public_url)

    async def tried() -> bool:
        return (await outbox_rows(db, [to]))[0].attempts == 1

    await eventually(tried)
    [row] = await outbox_rows(db, [to])
    assert row.status is OutboxStatus.PENDING and row.lease_owner is None
    assert row.last_error == "452 4.2.2 mailbox full"
    # First retry: a random time between half and all of the base delay.
    wait = (row.available_at - before).total_seconds()
    assert 30 - 1 <= wait <= 60 + 5


async def test_dead_after_the_last_attempt_and_logged(
    db: Database,
    make_settings: MakeSettings,
    make_sink: MakeSink,
    make_worker: MakeWorker,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sink = make_sink()
    [to] = addresses(1)
    sink.data_replies[to] = "451 4.3.0 temporary trouble"
    settings = make_settings(smtp_url=sink.url, **{**FAST, "outbox_max_attempts": 3})
    await make_worker(db, settings).start()
    with caplog.at_level(logging.WARNING, logger="portal.mail"):
        await enqueue_to(db, [to], settings.public_url)

        async def dead() -> bool:
            return (await outbox_rows(db, [to]))[0].status is OutboxStatus.DEAD

        await eventually(dead)
    [row] = await outbox_rows(db, [to])
    assert row.attempts == 3 and row.last_error == "451 4.3.0 temporary trouble"
    assert row.lease_owner is None and row.sent_at is None
    errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert len(errors) == 1
    assert row.message_id in errors[0].getMessage() and "451" in errors[0].getMessage()
    assert "DEAD after 3 attempt(s)" in errors[0].getMessage()
    assert sum("deferred (attempt" in r.getMessage() for r in caplog.records) == 2


async def test_a_recipient_refused_for_good_goes_dead_at_once(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    [nobody, somebody] = addresses(2)
    sink.rcpt_replies[nobody] = "550 5.1.1 no such mailbox"
    settings = make_settings(smtp_url=sink.url, **FAST)
    await make_worker(db, settings).start()
    await enqueue_to(db, [nobody, somebody], settings.public_url)
    await sink.wait_for(somebody)

    async def dead() -> bool:
        return (await outbox_rows(db, [nobody]))[0].status is OutboxStatus.DEAD

    await eventually(dead)
    [row] = await outbox_rows(db, [nobody])
    assert row.attempts == 1 and row.last_error == "550 5.1.1 no such mailbox"


async def test_bad_credentials_keep_mail_waiting_without_crashing_the_worker(
    db: Database,
    make_settings: MakeSettings,
    make_sink: MakeSink,
    make_worker: MakeWorker,
    certificates: CertificateFiles,
    caplog: pytest.LogCaptureFixture,
) -> None:
    sink = make_sink(tls="starttls", certificates=certificates, credentials=("mailer", "s3cret"))
    wrong = make_settings(smtp_url=sink.url_for(user="mailer", password="guess"), **FAST)
    worker = make_worker(db, wrong, loops=2)
    with caplog.at_level(logging.WARNING, logger="portal.mail"):
        await worker.start()
        recipients = addresses(3)
        await enqueue_to(db, recipients, wrong.public_url)

        async def tried() -> bool:
            return all(r.last_error for r in await outbox_rows(db, recipients))

        await eventually(tried)
        await asyncio.sleep(0.3)
    assert worker.running  # the loops are alive, pausing between tries
    rows = await outbox_rows(db, recipients)
    assert {(r.status, r.attempts) for r in rows} == {(OutboxStatus.PENDING, 0)}
    assert all("authentication failed: 535" in (r.last_error or "") for r in rows)
    auth_errors = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert auth_errors and "authentication failed" in auth_errors[0].getMessage()
    assert "guess" not in caplog.text and "s3cret" not in caplog.text
    await worker.stop()
    # The operator fixes the password: everything waiting goes out, once.
    fixed = make_settings(smtp_url=sink.url, **FAST)
    await make_worker(db, fixed).start()
    for to in recipients:
        [mail] = await sink.wait_for(to)
        assert mail.tls and mail.login == "mailer"
    _assert_once_each(sink, recipients)


async def test_stop_finishes_the_message_in_flight_and_gives_back_the_rest(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    sink.data_delay = 0.3
    settings = make_settings(smtp_url=sink.url, outbox_batch_size=10, **FAST)
    recipients = addresses(6)
    await enqueue_to(db, recipients, settings.public_url)
    worker = make_worker(db, settings)
    await worker.start()

    async def in_flight() -> bool:
        return sink.data_started > 0

    await eventually(in_flight)  # the first DATA is under way
    await worker.stop()
    rows = await outbox_rows(db, recipients)
    sent = [r for r in rows if r.status is OutboxStatus.SENT]
    assert 1 <= len(sent) < len(recipients)
    assert len(sink.messages) == len(sent)  # what was in flight was finished and recorded
    assert all(r.lease_owner is None and r.leased_until is None for r in rows)
    assert all(r.attempts == 0 for r in rows if r.status is OutboxStatus.PENDING)


async def test_a_commit_wakes_the_worker_without_waiting_for_the_poll(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    settings = make_settings(smtp_url=sink.url, outbox_poll_seconds=60)
    await make_worker(db, settings).start()
    await asyncio.sleep(0.2)  # the first (empty) poll is over; the next is a minute away
    [to] = addresses(1)
    await enqueue_to(db, [to], settings.public_url)
    await sink.wait_for(to, within=5)


async def test_without_a_relay_mail_is_written_to_the_mail_directory(
    db: Database, make_settings: MakeSettings, make_worker: MakeWorker, tmp_path: Path
) -> None:
    settings = make_settings(smtp_url=None, mail_dir=str(tmp_path / "outbox-mail"), **FAST)
    await make_worker(db, settings).start()
    recipients = addresses(2)
    await enqueue_to(db, recipients, settings.public_url)

    await eventually(_all_sent(db, recipients))
    assert len(list((tmp_path / "outbox-mail").glob("*.eml"))) == 2
    texts = [p.read_text() for p in (tmp_path / "outbox-mail").glob("*.eml")]
    assert all("text/plain" in t and "text/html" in t for t in texts)
    assert sorted(r for t in texts for r in recipients if f"To: {r}" in t) == sorted(recipients)


async def test_old_finished_mail_is_purged(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    sink = make_sink()
    settings = make_settings(smtp_url=sink.url, outbox_retention_days=1, **FAST)
    [old, recent] = addresses(2)
    await enqueue_to(db, [old, recent], settings.public_url)
    worker = make_worker(db, settings)
    await worker.start()
    await sink.wait_for(old)
    await sink.wait_for(recent)
    await worker.stop()
    async with db.unit_of_work() as session:
        await session.execute(
            update(OutboxMessage)
            .where(OutboxMessage.recipient == old)
            .values(created_at=utcnow() - timedelta(days=2))
        )
    await make_worker(db, settings).start()  # purges when it starts

    async def purged() -> bool:
        return await outbox_rows(db, [old]) == []

    await eventually(purged)
    assert len(await outbox_rows(db, [recent])) == 1


def test_backoff_grows_exponentially_with_jitter_up_to_a_cap() -> None:
    rng = random.Random(7)
    for attempt, high in [(1, 5), (2, 10), (3, 20), (8, 640), (12, 1800), (40, 1800)]:
        delays = [backoff_delay(attempt, base=5, cap=1800, rng=rng) for _ in range(200)]
        assert all(high / 2 <= d <= high for d in delays)
        assert max(delays) - min(delays) > high / 4  # actually jittered


async def test_a_reply_lost_after_the_end_of_data_is_not_resent_within_the_window(
    db: Database, make_settings: MakeSettings, make_sink: MakeSink, make_worker: MakeWorker
) -> None:
    # The relay's 250 comes after our read timeout: it has the message and may deliver it. A
    # quick retry (as for a 4xx) would send it twice; it waits the unknown-outcome window.
    sink = make_sink()
    sink.data_delay = 1.2
    settings = make_settings(
        smtp_url=sink.url, smtp_timeout_seconds=0.4, outbox_unknown_retry_seconds=600, **FAST
    )
    [to] = addresses(1)
    await enqueue_to(db, [to], settings.public_url)
    before = utcnow()
    await make_worker(db, settings).start()

    async def recorded() -> bool:
        [row] = await outbox_rows(db, [to])
        return row.attempts == 1

    await eventually(recorded)
    sink.data_delay = 0
    await asyncio.sleep(1.0)  # FAST retries a deferral within 0.2 s
    assert sink.data_started == 1
    [row] = await outbox_rows(db, [to])
    assert row.status is OutboxStatus.PENDING and row.lease_owner is None
    assert row.last_error is not None and row.last_error.startswith("outcome unknown")
    assert row.available_at >= before + timedelta(seconds=590)
