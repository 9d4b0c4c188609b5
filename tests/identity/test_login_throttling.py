"""Login rules (SECURITY.md "Login and abuse"): growing delay per account, a hard cap, a budget
per client address, equal answers for unknown emails, rehash on login, audit."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

import httpx
import pytest
from argon2 import PasswordHasher as Argon2
from sqlalchemy import select, update

from db.models import AuditEvent, User
from domain.login.service import LoginPolicy, delay_after, is_throttled
from kit.clock import utcnow
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor
from tests.identity.oidc import AuthRequest, Browser, RegisteredClient, callback_params
from tests.support.html import parse_page
from tests.support.limits import count_verifications, fresh_limits, storages
from tests.support.server import LiveServer

WRONG = "The email or password is incorrect."


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"login_delay_base_seconds": 1.0, "rate_limit_login_per_address": "1000/hour"}


async def attempt(
    live: LiveServer, rp: RegisteredClient, email: str, password: str
) -> tuple[httpx.Response, str]:
    """One login through the form: (the answer, what the page then says)."""
    async with Browser(live.url) as browser:
        page = await browser.navigate("GET", AuthRequest(rp).url())
        answer = await browser.login(page, email, password)
        return answer, parse_page(answer.text).text if answer.status_code == 200 else ""


async def failures(services: Services, actor: Actor) -> int:
    async with services.db.read_session() as session:
        count = await session.scalar(select(User.login_failures).where(User.id == actor.user.id))
    assert count is not None
    return count


def test_the_delay_doubles_after_five_failures_up_to_a_maximum() -> None:
    policy = LoginPolicy("100/hour", 5, 100, 1.0, 900.0, 256)
    assert [delay_after(n, policy) for n in range(5)] == [None] * 5
    assert [delay_after(n, policy).total_seconds() for n in (5, 6, 7, 8)] == [1, 2, 4, 8]  # type: ignore[union-attr]
    assert delay_after(60, policy) == timedelta(seconds=900)
    now = utcnow()
    assert is_throttled(6, now - timedelta(seconds=1), now, policy)
    assert not is_throttled(6, now - timedelta(seconds=3), now, policy)
    assert is_throttled(100, now - timedelta(days=365), now, policy)  # the hard cap


async def test_a_throttled_login_looks_like_a_wrong_password(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    for n in range(5):
        _, text = await attempt(live, rp, member.user.email, f"wrong password number {n}")
        assert WRONG in text
    assert await failures(services, member) == 5
    # Inside the delay window even the right password gets the wrong-password answer...
    answer, text = await attempt(live, rp, member.user.email, DEFAULT_PASSWORD)
    assert answer.status_code == 200 and WRONG in text
    # ... and does not count (an attacker cannot keep the owner locked out for ever).
    assert await failures(services, member) == 5
    await asyncio.sleep(1.1)
    answer, _ = await attempt(live, rp, member.user.email, DEFAULT_PASSWORD)
    assert "code" in callback_params(answer, rp.redirect_uri)
    assert await failures(services, member) == 0


async def test_the_hard_cap_stops_password_login(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User)
            .where(User.id == member.user.id)
            .values(login_failures=100, last_login_failure_at=utcnow() - timedelta(days=30))
        )
    _, text = await attempt(live, rp, member.user.email, DEFAULT_PASSWORD)
    assert WRONG in text


async def test_parallel_guesses_cannot_slip_past_the_delay(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User).where(User.id == member.user.id).values(login_failures=4)
        )
    results = await asyncio.gather(
        *(attempt(live, rp, member.user.email, f"guess {n}") for n in range(6))
    )
    assert all(WRONG in text for _, text in results)
    # Each guess either reserved the next failure (and was verified) or was refused unverified;
    # at most one per failure count got through, so the count grew by the verified ones only.
    count = await failures(services, member)
    assert 5 <= count <= 6
    async with services.db.read_session() as session:
        reasons = (
            await session.scalars(
                select(AuditEvent.details).where(AuditEvent.action == "login.failed")
            )
        ).all()
    verified = sum(1 for r in reasons if r["reason"] == "password")
    assert verified == count - 4


@pytest.mark.parametrize("settings_overrides", [{"rate_limit_login_per_address": "3/hour"}])
async def test_the_address_budget_counts_failures(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    # Spraying: one wrong guess each against several accounts from one address.
    for n in range(3):
        _, text = await attempt(live, rp, f"someone-{n}@example.test", "spray password 1")
        assert WRONG in text
    # The budget is spent: even a right password from this address looks wrong.
    _, text = await attempt(live, rp, member.user.email, DEFAULT_PASSWORD)
    assert WRONG in text


async def test_unknown_emails_get_the_same_answer_in_about_the_same_time(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    started = time.perf_counter()
    known, known_text = await attempt(live, rp, member.user.email, "not the password")
    known_time = time.perf_counter() - started
    started = time.perf_counter()
    unknown, unknown_text = await attempt(live, rp, "nobody-here@example.test", "not the password")
    unknown_time = time.perf_counter() - started
    assert known.status_code == unknown.status_code == 200
    assert known_text.replace(member.user.email, "") == unknown_text.replace(
        "nobody-here@example.test", ""
    )
    # The unknown email was checked against a dummy hash: it took a verification's time.
    assert unknown_time >= 0.5 * services.hasher.typical_verify_seconds
    assert known_time >= 0.5 * services.hasher.typical_verify_seconds


async def test_login_rehashes_old_parameters_and_is_audited(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    weaker = Argon2(time_cost=1, memory_cost=8 * 1024, parallelism=1).hash(DEFAULT_PASSWORD)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User).where(User.id == member.user.id).values(password_hash=weaker)
        )
    answer, _ = await attempt(live, rp, member.user.email, DEFAULT_PASSWORD)
    assert "code" in callback_params(answer, rp.redirect_uri)
    async with services.db.read_session() as session:
        stored = await session.scalar(select(User.password_hash).where(User.id == member.user.id))
        events = (
            await session.execute(
                select(AuditEvent.action, AuditEvent.actor_user_id, AuditEvent.details).order_by(
                    AuditEvent.id
                )
            )
        ).all()
    assert stored is not None and stored != weaker
    assert f"m={live.settings.argon2_memory_kib},t={live.settings.argon2_time_cost}" in stored
    assert ("login.succeeded", member.user.id, {"rehashed": True}) in events
    await attempt(live, rp, member.user.email, "wrong")
    async with services.db.read_session() as session:
        failed = (
            await session.scalars(
                select(AuditEvent.details).where(AuditEvent.action == "login.failed")
            )
        ).all()
    assert failed == [{"reason": "password"}]


@pytest.mark.parametrize("settings_overrides", storages({"rate_limit_login_per_address": "3/hour"}))
async def test_a_concurrent_burst_cannot_pass_the_address_budget(
    live: LiveServer,
    services: Services,
    member: Actor,
    rp: RegisteredClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    await fresh_limits(live.settings)
    verified = count_verifications(services, monkeypatch)
    # Spraying in parallel, from one address, with the right password somewhere in the burst.
    guesses = [(f"sprayed-{n}@example.test", "spray password 1") for n in range(12)]
    guesses.insert(6, (member.user.email, DEFAULT_PASSWORD))
    results = await asyncio.gather(*(attempt(live, rp, email, pw) for email, pw in guesses))
    # The budget is reserved before the password is checked: at most 3 wrong passwords were
    # verified, and a right one gives its reservation back (it may have made a fourth room).
    assert len(verified) <= 4
    assert sum(1 for ok in verified if not ok) <= 3
    refused = [text for _, text in results if WRONG in text]
    assert len(refused) >= len(guesses) - 4
    async with services.db.read_session() as session:
        reasons = (
            await session.scalars(
                select(AuditEvent.details).where(AuditEvent.action == "login.failed")
            )
        ).all()
    assert sum(1 for r in reasons if r["reason"] != "address_budget") <= 3


@pytest.mark.parametrize("settings_overrides", storages({"rate_limit_login_per_address": "3/hour"}))
async def test_right_passwords_give_their_reservation_back(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    # A busy office behind one address: its logins succeed, and cost the budget nothing.
    await fresh_limits(live.settings)
    for _ in range(5):
        answer, _ = await attempt(live, rp, member.user.email, DEFAULT_PASSWORD)
        assert "code" in callback_params(answer, rp.redirect_uri)
    for n in range(3):
        _, text = await attempt(live, rp, f"sprayed-{n}@example.test", "spray password 1")
        assert WRONG in text
    _, text = await attempt(live, rp, member.user.email, DEFAULT_PASSWORD)
    assert WRONG in text


async def test_a_double_clicked_login_is_not_a_wrong_password(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    """Overlapping logins of one account with the right password (a double click, two tabs)
    both succeed: the second reservation goes on from the count the first left, it does not
    blame the password."""
    for _ in range(6):
        results = await asyncio.gather(
            *(attempt(live, rp, member.user.email, DEFAULT_PASSWORD) for _ in range(2))
        )
        for answer, text in results:
            assert WRONG not in text
            assert "code" in callback_params(answer, rp.redirect_uri)
    assert await failures(services, member) == 0
    async with services.db.read_session() as session:
        refused = (
            await session.scalars(select(AuditEvent.id).where(AuditEvent.action == "login.failed"))
        ).all()
    assert refused == []
