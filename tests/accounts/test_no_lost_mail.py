"""No lost mail: a server that accepted a sign-up while the SMTP relay was down, and was then
killed outright, loses nothing — the next server process delivers the activation email."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from db.database import Database
from db.models import OutboxMessage
from domain.enums import OutboxStatus
from tests.accounts.journeys import CREATE_CUSTOMER, customer_form
from tests.support.smtp import SmtpSink, free_port

ROOT = Path(__file__).resolve().parents[2]


@asynccontextmanager
async def _serve(
    database_url: str, smtp_url: str, log: Path
) -> AsyncIterator[tuple[asyncio.subprocess.Process, str]]:
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    env = {
        **os.environ,
        "PORTAL_DATABASE_URL": database_url,
        "PORTAL_PUBLIC_URL": url,
        "PORTAL_SMTP_URL": smtp_url,
        "PORTAL_OUTBOX_POLL_SECONDS": "0.1",
        # A killed worker's claim on a message lapses after this (the default is a minute).
        "PORTAL_OUTBOX_LEASE_SECONDS": "3",
        "PORTAL_SMTP_TIMEOUT_SECONDS": "1",
        "PORTAL_OUTBOX_OUTAGE_MAX_PAUSE_SECONDS": "1",
        "PORTAL_ARGON2_MEMORY_KIB": str(19 * 1024),
    }
    stderr = await asyncio.to_thread(log.open, "ab")  # a file, not a pipe: nobody reads it live
    process = await asyncio.create_subprocess_exec(
        sys.executable,
        "server.py",
        "serve",
        "--port",
        str(port),
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.DEVNULL,
        stderr=stderr,
    )
    try:
        async with httpx.AsyncClient(base_url=url, timeout=5) as client:
            for _ in range(300):
                try:
                    if (await client.get("/readyz")).status_code == 200:
                        break
                except httpx.TransportError:
                    pass
                if process.returncode is not None:
                    raise AssertionError((await asyncio.to_thread(log.read_text))[-3000:])
                await asyncio.sleep(0.1)
            else:
                raise AssertionError("the server did not become ready")
        yield process, url
    finally:
        if process.returncode is None:
            process.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(process.wait(), timeout=30)
            except TimeoutError:
                process.kill()
                await process.wait()
        stderr.close()


async def _outbox(database_url: str, recipient: str) -> list[OutboxMessage]:
    db = Database.from_url(database_url, pool_size=1)
    try:
        async with db.read_session() as session:
            return list(
                await session.scalars(
                    select(OutboxMessage).where(OutboxMessage.recipient == recipient)
                )
            )
    finally:
        await db.dispose()


@pytest.mark.slow
async def test_a_killed_server_loses_no_accepted_mail(
    database_url: str, smtp: SmtpSink, tmp_path: Path
) -> None:
    log = tmp_path / "server.log"
    form = customer_form()
    down = f"smtp://127.0.0.1:{free_port()}"  # nothing listens there
    async with _serve(database_url, down, log) as (process, url):
        async with httpx.AsyncClient(base_url=url, timeout=30) as client:
            response = await client.post(
                "/graphql", json={"query": CREATE_CUSTOMER, "variables": {"input": form}}
            )
        process.send_signal(signal.SIGKILL)  # right after answering: no shutdown, no flush
        assert await process.wait() == -signal.SIGKILL
    assert response.json()["data"]["createCustomerOrganization"] == {
        "accepted": True,
        "userErrors": [],
    }
    (row,) = await _outbox(database_url, form["email"])
    assert row.status is OutboxStatus.PENDING and row.sent_at is None
    assert smtp.to(form["email"]) == []

    async with _serve(database_url, smtp.url, log):
        (mail,) = await smtp.wait_for(form["email"], within=30)
        assert "Activation code: " in mail.text
        assert "/activate?token=" in mail.text
        assert mail.message_id == row.message_id
        for _ in range(100):  # the worker records SENT just after the relay said OK
            (row,) = await _outbox(database_url, form["email"])
            if row.status is OutboxStatus.SENT:
                break
            await asyncio.sleep(0.1)
        assert row.status is OutboxStatus.SENT
    assert len(smtp.to(form["email"])) == 1
