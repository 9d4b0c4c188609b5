"""The mail-bombing guard: per recipient at most N unsolicited mails a minute and M a day,
counted in the database so that every process agrees."""

from __future__ import annotations

import asyncio
from datetime import timedelta

from sqlalchemy import select

from db.models import OutboxMessage
from mail.catalog import sample
from mail.outbox import allow_to_recipient, budget_of, enqueue
from runtime import Services
from tests.mail._helpers import addresses, outbox_rows

LIMITS = {"per_minute": 1, "per_day": 5}


async def _send(services: Services, to: str, template: str = "activation") -> None:
    async with services.db.unit_of_work() as session:
        await enqueue(
            session,
            mail=sample(template),
            to=to,
            public_url=services.settings.public_url,
        )


async def _allowed(services: Services, to: str, template: str = "activation") -> bool:
    async with services.db.unit_of_work() as session:
        return await allow_to_recipient(session, to, templates=budget_of(template), **LIMITS)


async def _age_all(services: Services, to: str, by: timedelta) -> None:
    """Move the recipient's mail back in time (rather than waiting minutes and hours)."""
    async with services.db.unit_of_work() as session:
        for row in await session.scalars(
            select(OutboxMessage).where(OutboxMessage.recipient == to)
        ):
            row.created_at = row.created_at - by


async def test_one_a_minute_per_recipient(services: Services) -> None:
    [to, other] = addresses(2)
    assert await _allowed(services, to)
    await _send(services, to)
    assert not await _allowed(services, to)
    assert await _allowed(services, other)  # per recipient
    await _age_all(services, to, timedelta(seconds=61))
    assert await _allowed(services, to)


async def test_each_kind_of_unsolicited_mail_has_its_own_budget(services: Services) -> None:
    [to] = addresses(1)
    await _send(services, to, "activation")
    # A reset asked for right after signing up, or the notice of a second sign-up, still goes:
    # the person is waiting for it.
    assert await _allowed(services, to, "password_reset")
    assert await _allowed(services, to, "already_registered")
    await _send(services, to, "password_reset")
    await _send(services, to, "already_registered")
    assert not await _allowed(services, to, "activation")
    assert not await _allowed(services, to, "password_reset")
    # Sign-up notices and partner-request receipts share one budget: alternating between the
    # two forms does not double it.
    assert not await _allowed(services, to, "partner_request_received")


async def test_mail_sent_by_signed_in_staff_is_not_counted(services: Services) -> None:
    [invited] = addresses(1)
    await _send(services, invited, "invitation")  # sent by a signed-in admin: not counted
    assert await _allowed(services, invited)


async def test_five_a_day_per_recipient(services: Services) -> None:
    [to] = addresses(1)
    for _ in range(5):
        assert await _allowed(services, to)
        await _send(services, to)
        await _age_all(services, to, timedelta(minutes=2))
    assert not await _allowed(services, to)
    # The oldest of the five (sent "10 minutes" ago) passes the one-day mark; the others do not.
    await _age_all(services, to, timedelta(hours=23, minutes=55))
    assert await _allowed(services, to)


async def test_concurrent_requests_send_one_mail(services: Services) -> None:
    [to] = addresses(1)

    async def request() -> None:
        async with services.db.unit_of_work() as session:
            if await allow_to_recipient(session, to, templates=budget_of("activation"), **LIMITS):
                await enqueue(
                    session,
                    mail=sample("activation"),
                    to=to,
                    public_url=services.settings.public_url,
                )
                # Hold the transaction open a little, as a real request would.
                await asyncio.sleep(0.05)

    await asyncio.gather(*(request() for _ in range(6)))
    assert len(await outbox_rows(services.db, [to])) == 1
