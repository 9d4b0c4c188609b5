"""Spending a path's work without its effects, so that timing does not enumerate accounts.

A known email must cost what a new one costs (and an unknown one what a known one costs), or the
response time tells which addresses have accounts (SECURITY.md: "in about the same time"). Like
verifying a dummy password hash for an unknown login, the cheaper path rehearses the other one's
writes inside a savepoint and rolls them back. bench/bench_signup_timing.py measures the paths
against each other; tests/accounts/test_enumeration.py compares their statements.

``mail_alike`` is that for the account mails a stranger can trigger (resend, password reset, the
"already registered" notice): sent, held back by the mail guard, or for no account at all, every
path sends the same statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TypeVar

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User
from domain.accounts import repository
from domain.accounts.mailing import may_mail
from settings import Settings

T = TypeVar("T")


async def rehearse(session: AsyncSession, work: Callable[[], Awaitable[object]]) -> None:
    """Run ``work`` in a savepoint that is always rolled back."""
    nested = await session.begin_nested()
    try:
        await work()
    finally:
        await nested.rollback()


def stand_in_email() -> str:
    # ".invalid" can never be a real mailbox (RFC 6761), and the rollback keeps it out anyway.
    return f"rehearsal-{uuid.uuid4().hex}@rehearsal.invalid"


async def stand_in_user(session: AsyncSession, first_name: str, last_name: str) -> User:
    return await repository.add_pending_user(
        session, email=stand_in_email(), first_name=first_name, last_name=last_name
    )


async def rehearse_for_stand_in(
    session: AsyncSession,
    work: Callable[[User], Awaitable[object]],
    *,
    first_name: str = "Rehearsal",
    last_name: str = "Rehearsal",
) -> None:
    """Run ``work`` for a new pending stand-in user, all in a savepoint that is rolled back."""

    async def run() -> None:
        await work(await stand_in_user(session, first_name, last_name))

    await rehearse(session, run)


async def mail_alike(
    session: AsyncSession,
    settings: Settings,
    *,
    recipient: User | None,
    template: str,
    issue: Callable[[User], Awaitable[T]],
    audit: Callable[[User, T | None], Awaitable[object]],
    rehearse_also: Callable[[User], Awaitable[object]] | None = None,
) -> bool:
    """Issue and queue ``template`` for ``recipient`` (None: no account to tell) if the guard
    allows, and audit it, in the same statements whichever happens; True when it went out.

    Every path: the guard's count (for a stand-in address without a recipient: it always
    allows), one rolled-back savepoint with a stand-in user, ``issue`` once and ``audit`` once.
    The savepoint holds ``issue`` (for the stand-in) when nothing goes out (the guard held it
    back, or no recipient) and ``audit`` when there is no recipient; ``rehearse_also`` always
    runs in it, for
    what this recipient's ``issue`` lacks next to the other paths' (a notice issues no token).
    ``issue`` must not ask the guard itself (this did).
    """
    allowed = await may_mail(
        session, recipient.email if recipient is not None else stand_in_email(), settings, template
    )
    send = recipient is not None and allowed

    async def rehearsal(stand_in: User) -> None:
        if rehearse_also is not None:
            await rehearse_also(stand_in)
        if send:
            return
        issued = await issue(stand_in)
        if recipient is None:
            await audit(stand_in, issued)

    await rehearse_for_stand_in(session, rehearsal)
    if recipient is None:
        return False
    await audit(recipient, await issue(recipient) if send else None)
    return send
