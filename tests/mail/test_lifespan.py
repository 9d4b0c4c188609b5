"""The served app runs the outbox worker: mail written in a unit of work reaches the relay, and
shutting the server down stops the worker."""

from __future__ import annotations

from dataclasses import replace

from mail.catalog import sample
from mail.outbox import enqueue
from mail.worker import OutboxWorker
from runtime import Services
from settings import Settings
from tests.factories import unique_email
from tests.support.server import LiveServer, serve
from tests.support.smtp import SmtpSink


async def test_mail_written_while_serving_arrives(live: LiveServer, smtp: SmtpSink) -> None:
    to = unique_email("lifespan")
    url = f"{live.settings.public_url}/activate?token=abc"
    async with live.services.db.unit_of_work() as session:
        await enqueue(
            session,
            mail=replace(sample("activation"), activation_url=url, code="ABCD2345"),
            to=to,
            public_url=live.settings.public_url,
        )
    [mail] = await smtp.wait_for(to)
    assert f"Activate Account: {url}" in mail.text.splitlines()
    assert "Activation code: ABCD2345" in mail.text.splitlines()
    assert "ABCD2345" in mail.html
    assert mail.message["From"] == live.settings.mail_from


async def test_shutdown_stops_the_worker(settings: Settings, services: Services) -> None:
    async with serve(settings, services):
        worker = services.extras["outbox_worker"]
        assert isinstance(worker, OutboxWorker) and worker.running
    assert not worker.running
