"""Activation codes (SECURITY.md): bound to the link, single use, expiring, locked after five
wrong tries, replaced by a resend that does not reset the account's failure count; one winner
among racing activations; the password policy's reason codes."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import select, update

from db.models import AccountToken, AuditEvent, User
from domain.enums import UserStatus
from kit.clock import utcnow
from runtime import Services
from tests.accounts.journeys import (
    ACTIVATE,
    GOOD_PASSWORD,
    RESEND,
    Mail,
    activate,
    outbox_mails,
    register,
)
from tests.support.gql import codes, payload_for
from tests.support.limits import fresh_limits, storages
from tests.support.server import LiveServer


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # Resends within a minute are part of these tests (the guard is tested on its own).
    return {"mail_per_recipient_per_minute": 10, "mail_per_recipient_per_day": 50}


def _wrong(code: str) -> str:
    """Another valid-looking code."""
    return ("2" if code[0] != "2" else "3") + code[1:]


async def _signed_up(live: LiveServer) -> tuple[str, Mail]:
    form = await register(live)
    (mail,) = await outbox_mails(live, form["email"])
    return form["email"], mail


async def _user(services: Services, email: str) -> User:
    async with services.db.read_session() as session:
        return (await session.scalars(select(User).where(User.email == email))).one()


async def test_five_wrong_codes_lock_the_code(live: LiveServer, services: Services) -> None:
    email, mail = await _signed_up(live)
    for _ in range(5):
        result = await activate(live, mail.activation_token, _wrong(mail.activation_code))
        assert result["activated"] is False
        assert result["userErrors"][0]["code"] == "INVALID_OR_EXPIRED_CODE"
        assert result["userErrors"][0]["field"] == ["input", "code"]
    assert "locked" in result["userErrors"][0]["message"]
    # The right code no longer opens it.
    result = await activate(live, mail.activation_token, mail.activation_code)
    assert codes(result) == ["INVALID_OR_EXPIRED_CODE"]
    user = await _user(services, email)
    assert user.status is UserStatus.PENDING and user.activation_failures == 5
    async with services.db.read_session() as session:
        actions = list(
            await session.scalars(
                select(AuditEvent.action)
                .where(AuditEvent.action.like("account.activation_%"))
                .order_by(AuditEvent.id)
            )
        )
    assert actions == ["account.activation_failed"] * 4 + ["account.activation_locked"]


async def test_resend_replaces_the_code_and_keeps_the_failure_count(
    live: LiveServer, services: Services
) -> None:
    email, first = await _signed_up(live)
    for _ in range(3):
        await activate(live, first.activation_token, _wrong(first.activation_code))
    resent = await payload_for(live, None, RESEND, {"email": email.upper()})
    assert resent == {"accepted": True, "userErrors": []}
    _first, second = await outbox_mails(live, email)
    assert second.activation_token != first.activation_token
    # The old link died with the resend, even with its right code.
    old = await activate(live, first.activation_token, first.activation_code)
    assert codes(old) == ["INVALID_OR_EXPIRED_CODE"]
    assert (await _user(services, email)).activation_failures == 3
    # The new code has its own five tries and works.
    await activate(live, second.activation_token, _wrong(second.activation_code))
    assert (await _user(services, email)).activation_failures == 4
    result = await activate(live, second.activation_token, second.activation_code)
    assert result["activated"] is True, result
    user = await _user(services, email)
    assert user.status is UserStatus.ACTIVE and user.activation_failures == 0


@pytest.mark.parametrize(
    "settings_overrides",
    [{"activation_account_max_failures": 7, "mail_per_recipient_per_minute": 10}],
)
async def test_too_many_failures_on_an_account_pause_activation(
    live: LiveServer, services: Services
) -> None:
    email, first = await _signed_up(live)
    for _ in range(5):
        await activate(live, first.activation_token, _wrong(first.activation_code))
    await payload_for(live, None, RESEND, {"email": email})
    _first, second = await outbox_mails(live, email)
    for _ in range(2):
        await activate(live, second.activation_token, _wrong(second.activation_code))
    # Seven failures across two codes: the account is paused, even for the right code.
    result = await activate(live, second.activation_token, second.activation_code)
    assert codes(result) == ["INVALID_OR_EXPIRED_CODE"]
    assert "Too many failed activation attempts" in result["userErrors"][0]["message"]
    assert (await _user(services, email)).status is UserStatus.PENDING


async def test_an_expired_code_is_refused(live: LiveServer, services: Services) -> None:
    email, mail = await _signed_up(live)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(AccountToken).values(expires_at=utcnow() - timedelta(seconds=1))
        )
    result = await activate(live, mail.activation_token, mail.activation_code)
    assert codes(result) == ["INVALID_OR_EXPIRED_CODE"]
    assert "expired" in result["userErrors"][0]["message"]
    assert (await _user(services, email)).status is UserStatus.PENDING


async def test_a_code_works_only_with_its_own_link(live: LiveServer, services: Services) -> None:
    _a, mail_a = await _signed_up(live)
    _b, mail_b = await _signed_up(live)
    result = await activate(live, mail_a.activation_token, mail_b.activation_code)
    assert codes(result) == ["INVALID_OR_EXPIRED_CODE"]
    unknown = await activate(live, "x" * 43, mail_a.activation_code)
    assert codes(unknown) == ["INVALID_OR_EXPIRED_CODE"]


async def test_sixteen_concurrent_activations_have_one_winner(
    live: LiveServer, services: Services
) -> None:
    email, mail = await _signed_up(live)
    variables = {
        "input": {
            "token": mail.activation_token,
            "code": mail.activation_code,
            "newPassword": GOOD_PASSWORD,
        }
    }
    results = await asyncio.gather(*(live.graphql(ACTIVATE, variables) for _ in range(16)))
    payloads = [r["data"]["activateAccount"] for r in results]
    winners = [p for p in payloads if p["activated"]]
    assert len(winners) == 1, payloads
    assert winners[0]["message"] == "Your account is verified successfully."
    for loser in (p for p in payloads if not p["activated"]):
        assert codes(loser) == ["INVALID_OR_EXPIRED_CODE"]
    async with services.db.read_session() as session:
        activations = (
            await session.scalars(
                select(AuditEvent.id).where(AuditEvent.action == "account.activated")
            )
        ).all()
    assert len(activations) == 1
    assert (await _user(services, email)).status is UserStatus.ACTIVE


@pytest.mark.parametrize(
    ("password", "code"),
    [
        ("short but ok 1", "PASSWORD_TOO_SHORT"),
        ("x" * 257, "PASSWORD_TOO_LONG"),
        ("passwordpassword1", "PASSWORD_TOO_COMMON"),
        ("qwertyuiopasdfghjkl", "PASSWORD_TOO_COMMON"),
        ("ada lovelace ada lovelace", "PASSWORD_CONTAINS_PERSONAL_INFO"),
        ("acme surveillance gmbh 2024", "PASSWORD_CONTAINS_PERSONAL_INFO"),
    ],
)
async def test_the_password_policy_gives_a_reason(
    live: LiveServer, services: Services, password: str, code: str
) -> None:
    email, mail = await _signed_up(live)
    result = await activate(live, mail.activation_token, mail.activation_code, password)
    assert result["activated"] is False
    assert result["userErrors"] == [
        {
            "field": ["input", "newPassword"],
            "message": result["userErrors"][0]["message"],
            "code": code,
        }
    ]
    # A refused password costs no try: the same code then works with a good one.
    user = await _user(services, email)
    assert user.activation_failures == 0
    result = await activate(live, mail.activation_token, mail.activation_code)
    assert result["activated"] is True


async def test_long_unicode_passwords_with_spaces_are_accepted_whole(
    live: LiveServer, services: Services
) -> None:
    email, mail = await _signed_up(live)
    password = "Grüße aus Köln — ünd ein 🐘 mit Leerzeichen " * 5  # 230 characters
    result = await activate(live, mail.activation_token, mail.activation_code, password)
    assert result["activated"] is True, result
    user = await _user(services, email)
    assert (await services.hasher.verify(user.password_hash, password)).ok
    assert not (await services.hasher.verify(user.password_hash, password[:200])).ok


async def test_a_wrong_code_and_a_bad_password_are_reported_together(
    live: LiveServer, services: Services
) -> None:
    _email, mail = await _signed_up(live)
    result = await activate(live, mail.activation_token, _wrong(mail.activation_code), "short")
    assert sorted(codes(result)) == ["INVALID_OR_EXPIRED_CODE", "PASSWORD_TOO_SHORT"]


@pytest.mark.parametrize(
    "settings_overrides",
    storages({"mail_per_recipient_per_minute": 10, "mail_per_recipient_per_day": 50}),
)
async def test_a_concurrent_burst_of_wrong_codes_gets_five_tries(
    live: LiveServer, services: Services
) -> None:
    """Twelve wrong codes at once on one link: the code is compared under the token's row lock
    (SQLite: one writer), so exactly five are counted and from the sixth on they find it locked — even the
    right code afterwards."""
    await fresh_limits(live.settings)
    email, mail = await _signed_up(live)
    wrong = [
        f"{n}{mail.activation_code[1:]}" for n in range(10) if str(n) != mail.activation_code[0]
    ]
    results = await asyncio.gather(
        *(activate(live, mail.activation_token, wrong[n % len(wrong)]) for n in range(12))
    )
    assert all(codes(r) == ["INVALID_OR_EXPIRED_CODE"] for r in results), results
    async with services.db.read_session() as session:
        tries = await session.scalar(select(AccountToken.failed_attempts))
        counted = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.action.like("account.activation_%"))
            )
        ).all()
    assert tries == 5
    assert sorted(counted) == ["account.activation_failed"] * 4 + ["account.activation_locked"]
    assert (await _user(services, email)).activation_failures == 5
    right = await activate(live, mail.activation_token, mail.activation_code)
    assert codes(right) == ["INVALID_OR_EXPIRED_CODE"]
    assert (await _user(services, email)).status is UserStatus.PENDING
