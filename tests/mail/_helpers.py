"""Small helpers shared by the mail tests."""

from __future__ import annotations

import asyncio
import time
from collections.abc import Awaitable, Callable

from sqlalchemy import select

from db.database import Database
from db.models import OutboxMessage
from mail.catalog import sample
from mail.outbox import enqueue
from tests.factories import unique_email


def addresses(count: int, prefix: str = "mail") -> list[str]:
    tag = unique_email(prefix).split("@")[0]
    return [f"{tag}-{i}@example.test" for i in range(count)]


async def enqueue_to(db: Database, recipients: list[str], public_url: str) -> None:
    """One committed unit of work that writes an activation email to each recipient."""
    async with db.unit_of_work() as session:
        for to in recipients:
            await enqueue(
                session,
                mail=sample("activation"),
                to=to,
                public_url=public_url,
            )


async def outbox_rows(db: Database, recipients: list[str]) -> list[OutboxMessage]:
    async with db.read_session() as session:
        return list(
            await session.scalars(
                select(OutboxMessage)
                .where(OutboxMessage.recipient.in_(recipients))
                .order_by(OutboxMessage.id)
            )
        )


async def eventually(
    check: Callable[[], Awaitable[bool]], *, within: float = 15.0, interval: float = 0.05
) -> None:
    """Wait until ``check()`` holds; fail with a clear message when it never does."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within}s")
        await asyncio.sleep(interval)
