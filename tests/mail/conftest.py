"""Fixtures for the mail tests: extra SMTP servers (TLS, AUTH, ones a test may stop), outbox
workers stopped at teardown, and a throwaway certificate authority."""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from db.database import Database
from mail.worker import OutboxWorker
from settings import Settings
from tests.support.certs import CertificateFiles, make_certificates
from tests.support.smtp import SmtpSink


@pytest.fixture(scope="session")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> CertificateFiles:
    return make_certificates(Path(tmp_path_factory.mktemp("certs")))


@pytest.fixture
def make_sink() -> Iterator[Callable[..., SmtpSink]]:
    """Start an SMTP server of the test's own (so that it may stop it or make it misbehave)."""
    sinks: list[SmtpSink] = []

    def make(**kwargs: Any) -> SmtpSink:
        sink = SmtpSink(**kwargs)
        sink.start()
        sinks.append(sink)
        return sink

    yield make
    for sink in sinks:
        sink.stop()


@pytest.fixture
async def make_worker() -> AsyncIterator[Callable[..., OutboxWorker]]:
    """Build (not start) outbox workers; every one is stopped at teardown."""
    workers: list[OutboxWorker] = []

    def make(db: Database, settings: Settings, **kwargs: Any) -> OutboxWorker:
        worker = OutboxWorker(db, settings, **kwargs)
        workers.append(worker)
        return worker

    yield make
    for worker in workers:
        await worker.stop()
