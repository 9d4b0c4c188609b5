"""Spending a path's work without its effects, so that timing does not enumerate accounts.

A known email must cost what a new one costs (and an unknown one what a known one costs), or the
response time tells which addresses have accounts (SECURITY.md: "in about the same time"). Like
verifying a dummy password hash for an unknown login, the cheaper path rehearses the other one's
writes inside a savepoint and rolls them back. bench/bench_signup_timing.py measures the paths
against each other.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User
from domain.accounts import repository


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
