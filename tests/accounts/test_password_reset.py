"""requestPasswordReset / resetPassword over GraphQL: the link, its single use and expiry, the
password policy, enumeration safety, the mail guard and the rate limits."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from db.models import AccountToken, User
from domain.enums import Role, TokenPurpose, UserStatus
from kit.clock import utcnow
from kit.crypto import sha256_hex
from runtime import Services
from tests.accounts.journeys import (
    CREATE_CUSTOMER,
    GOOD_PASSWORD,
    customer_form,
    delivered,
    outbox_mails,
    unique_email,
)
from tests.accounts.reset_support import (
    NEW_PASSWORD,
    REQUEST_RESET,
    RESET,
    request_reset,
    reset,
    reset_link,
    reset_token,
)
from tests.audit.support import audit_events
from tests.factories import DEFAULT_PASSWORD, create_actor
from tests.support.gql import codes, payload_for
from tests.support.limits import fresh_limits, storages
from tests.support.server import LiveServer
from tests.support.smtp import SmtpSink


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    # Several tests ask twice within a minute on purpose; the guard has its own test below.
    return {"mail_per_recipient_per_minute": 5}


async def _user(services: Services, email: str) -> User:
    async with services.db.read_session() as session:
        return (await session.scalars(select(User).where(User.email == email))).one()


async def test_a_reset_link_sets_a_new_password_once(
    live: LiveServer, services: Services, smtp: SmtpSink
) -> None:
    actor = await create_actor(services, with_password=True)
    email = actor.user.email
    async with services.db.unit_of_work() as session:
        # Past the login's hard cap: only a reset lets this account log in again.
        await session.execute(
            update(User).where(User.id == actor.user.id).values(login_failures=100)
        )
    before = await _user(services, email)

    assert await request_reset(live, email.upper()) == {"accepted": True, "userErrors": []}
    (mail,) = await delivered(smtp, email)
    link = reset_link(mail)
    assert link.startswith(f"{live.url}/reset-password?token=")
    assert "expires in 1 hour" in mail.text
    token = reset_token(mail)
    # Only the hash is stored, and the link is bound to no code.
    async with services.db.read_session() as session:
        row = (
            await session.scalars(select(AccountToken).where(AccountToken.user_id == actor.user.id))
        ).one()
    assert row.purpose is TokenPurpose.PASSWORD_RESET
    assert row.link_token_hash == sha256_hex(token) and row.code_hash is None
    assert timedelta(minutes=59) < row.expires_at - row.created_at <= timedelta(hours=1, seconds=1)
    # The current password keeps working until the link is used.
    assert (
        await services.hasher.verify((await _user(services, email)).password_hash, DEFAULT_PASSWORD)
    ).ok

    done = await reset(live, token)
    assert done == {
        "reset": True,
        "message": "Your password has been changed. Sign in with your new password.",
        "userErrors": [],
    }
    after = await _user(services, email)
    assert (await services.hasher.verify(after.password_hash, NEW_PASSWORD)).ok
    assert not (await services.hasher.verify(after.password_hash, DEFAULT_PASSWORD)).ok
    assert after.login_failures == 0 and after.last_login_failure_at is None
    assert after.security_stamp == before.security_stamp + 1
    assert after.password_changed_at is not None

    again = await reset(live, token, "another fine 5 word passphrase here")
    assert codes(again) == ["INVALID_OR_EXPIRED_TOKEN"]
    assert again["userErrors"][0]["field"] == ["input", "token"]
    assert "already used" in again["userErrors"][0]["message"]
    assert (
        await services.hasher.verify((await _user(services, email)).password_hash, NEW_PASSWORD)
    ).ok

    _, notice = await delivered(smtp, email, 2)
    assert notice.subject == (await outbox_mails(live, email))[1].subject
    assert "was changed" in notice.text and f"{live.url}/forgot-password" in notice.text
    (event,) = await audit_events(services, "account.password_reset")
    assert event.target_id == str(actor.user.id) and event.actor_user_id == actor.user.id
    assert event.details["token_id"] == str(row.id)
    (requested,) = await audit_events(services, "password_reset.requested")
    assert requested.details["mailed"] is True


async def test_an_expired_or_replaced_link_is_refused(live: LiveServer, services: Services) -> None:
    actor = await create_actor(services, with_password=True)
    email = actor.user.email
    await request_reset(live, email)
    await request_reset(live, email)
    first, second = await outbox_mails(live, email)
    replaced = await reset(live, reset_token(first))
    assert codes(replaced) == ["INVALID_OR_EXPIRED_TOKEN"]
    assert "newer" in replaced["userErrors"][0]["message"]

    async with services.db.unit_of_work() as session:
        await session.execute(
            update(AccountToken)
            .where(AccountToken.link_token_hash == sha256_hex(reset_token(second)))
            .values(expires_at=utcnow() - timedelta(seconds=1))
        )
    expired = await reset(live, reset_token(second))
    assert codes(expired) == ["INVALID_OR_EXPIRED_TOKEN"]
    assert "expired" in expired["userErrors"][0]["message"]
    unknown = await reset(live, "x" * 43)
    assert codes(unknown) == ["INVALID_OR_EXPIRED_TOKEN"]
    user = await _user(services, email)
    assert (await services.hasher.verify(user.password_hash, DEFAULT_PASSWORD)).ok


async def test_the_password_policy_applies_and_a_refusal_keeps_the_link(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, with_password=True)
    email = actor.user.email
    await request_reset(live, email)
    (mail,) = await outbox_mails(live, email)
    token = reset_token(mail)
    for password, code in [
        ("short one", "PASSWORD_TOO_SHORT"),
        ("passwordpassword123", "PASSWORD_TOO_COMMON"),
        (f"{email} {actor.user.first_name}", "PASSWORD_CONTAINS_PERSONAL_INFO"),
        ("x" * 257, "PASSWORD_TOO_LONG"),
    ]:
        refused = await reset(live, token, password)
        assert codes(refused) == [code], (password, refused)
        assert refused["userErrors"][0]["field"] == ["input", "newPassword"]
    assert (await reset(live, token))["reset"] is True


async def test_answers_are_the_same_for_every_kind_of_address(
    live: LiveServer, services: Services
) -> None:
    active = (await create_actor(services, role=Role.ADMIN, with_password=True)).user.email
    disabled_actor = await create_actor(services, with_password=True)
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(User).where(User.id == disabled_actor.user.id).values(status=UserStatus.DISABLED)
        )
    pending = unique_email()
    await payload_for(live, None, CREATE_CUSTOMER, {"input": customer_form(email=pending)})
    unknown = unique_email()

    answers = []
    for email in (unknown, active, pending, disabled_actor.user.email):
        response = await live.client.post(
            "/graphql", json={"query": REQUEST_RESET, "variables": {"email": email}}
        )
        answers.append((response.status_code, response.text, response.headers["content-type"]))
    assert len(set(answers)) == 1
    assert '"accepted":true' in answers[0][1].replace(" ", "")

    (link,) = await outbox_mails(live, active)
    assert link.template == "password_reset"
    # A pending account has no password to reset: it gets its activation email again.
    activation, again = await outbox_mails(live, pending)
    assert activation.template == again.template == "activation"
    assert again.activation_code != activation.activation_code
    assert await outbox_mails(live, unknown) == []
    assert await outbox_mails(live, disabled_actor.user.email) == []
    # The rehearsal for the unknown address left nothing behind.
    async with services.db.read_session() as session:
        stand_ins = await session.scalars(select(User).where(User.email.like("rehearsal-%")))
        assert list(stand_ins) == []
    (event,) = await audit_events(services, "password_reset.pending_account")
    assert event.details == {"activation_mailed": True}


async def test_a_malformed_address_is_a_field_error(live: LiveServer) -> None:
    refused = await request_reset(live, "not an address")
    assert refused["accepted"] is False
    assert codes(refused) == ["INVALID_EMAIL"] and refused["userErrors"][0]["field"] == ["email"]


@pytest.mark.parametrize("settings_overrides", [{}])
async def test_the_mail_guard_holds_back_a_second_mail_and_keeps_the_first_link(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, with_password=True)
    email = actor.user.email
    first = await request_reset(live, email)
    second = await request_reset(live, email)
    assert first == second == {"accepted": True, "userErrors": []}
    (mail,) = await outbox_mails(live, email)
    held = [e.details["mailed"] for e in await audit_events(services, "password_reset.requested")]
    assert held == [True, False]
    assert (await reset(live, reset_token(mail)))["reset"] is True


@pytest.mark.parametrize(
    "settings_overrides",
    [{"rate_limit_password_reset": "2/hour", "mail_per_recipient_per_minute": 5}],
)
async def test_requests_are_limited_per_email_alike_for_known_and_unknown(
    live: LiveServer, services: Services
) -> None:
    known = (await create_actor(services)).user.email
    unknown = unique_email()
    answers = {
        email: [await request_reset(live, email) for _ in range(3)] for email in (known, unknown)
    }
    assert answers[known] == answers[unknown]
    assert [codes(a) for a in answers[known]] == [[], [], ["RATE_LIMITED"]]


@pytest.mark.parametrize(
    "settings_overrides",
    [{"rate_limit_password_reset_per_address": "3/hour", "mail_per_recipient_per_minute": 5}],
)
async def test_requests_and_dead_links_are_limited_per_address(live: LiveServer) -> None:
    answers = [await request_reset(live, unique_email()) for _ in range(4)]
    assert [codes(a) for a in answers] == [[], [], [], ["RATE_LIMITED"]]
    # Dead links count per address too (their own budget), and past it even a try is refused.
    dead = [await reset(live, f"{n}" * 43) for n in range(4)]
    assert [codes(d) for d in dead] == [["INVALID_OR_EXPIRED_TOKEN"]] * 3 + [["RATE_LIMITED"]]


async def test_racing_resets_of_one_link_have_one_winner(
    live: LiveServer, services: Services
) -> None:
    actor = await create_actor(services, with_password=True)
    await request_reset(live, actor.user.email)
    (mail,) = await outbox_mails(live, actor.user.email)
    token = reset_token(mail)
    passwords = [f"{word} tangerine orbit 42 sails" for word in ("north", "south", "east", "west")]

    async def attempt(password: str) -> dict[str, Any]:
        async with httpx.AsyncClient(base_url=live.url, timeout=30) as http:
            response = await http.post(
                "/graphql",
                json={
                    "query": RESET,
                    "variables": {"input": {"token": token, "newPassword": password}},
                },
            )
            payload: dict[str, Any] = response.json()["data"]["resetPassword"]
            return payload

    results = await asyncio.gather(*(attempt(p) for p in passwords))
    winners = [p for p, r in zip(passwords, results, strict=True) if r["reset"]]
    assert len(winners) == 1, results
    assert all(codes(r) == ["INVALID_OR_EXPIRED_TOKEN"] for r in results if not r["reset"])
    user = await _user(services, actor.user.email)
    assert (await services.hasher.verify(user.password_hash, winners[0])).ok
    assert len(await audit_events(services, "account.password_reset")) == 1


async def test_a_reset_link_does_not_activate_a_pending_account(
    live: LiveServer, services: Services
) -> None:
    """Belt and braces: even a reset token issued for an account that is still pending (it
    cannot be, through requestPasswordReset) is refused."""
    pending = unique_email()
    await payload_for(live, None, CREATE_CUSTOMER, {"input": customer_form(email=pending)})
    user = await _user(services, pending)
    async with services.db.unit_of_work() as session:
        session.add(
            AccountToken(
                user_id=user.id,
                purpose=TokenPurpose.PASSWORD_RESET,
                link_token_hash=sha256_hex("p" * 43),
                expires_at=utcnow() + timedelta(hours=1),
                failed_attempts=0,
            )
        )
    refused = await reset(live, "p" * 43, GOOD_PASSWORD)
    assert codes(refused) == ["INVALID_OR_EXPIRED_TOKEN"]
    assert (await _user(services, pending)).status is UserStatus.PENDING


@pytest.mark.parametrize(
    "settings_overrides",
    storages(
        {"rate_limit_password_reset_per_address": "3/hour", "mail_per_recipient_per_minute": 5}
    ),
)
async def test_a_concurrent_burst_of_dead_links_cannot_pass_the_address_budget(
    live: LiveServer,
) -> None:
    """The address's dead-link budget is reserved before the link is looked up: twelve guesses
    at once get three answers about the link and nine refusals."""
    await fresh_limits(live.settings)
    dead = await asyncio.gather(*(reset(live, f"{n:02d}" * 21 + "x") for n in range(12)))
    answers = sorted(tuple(codes(d)) for d in dead)
    assert answers == [("INVALID_OR_EXPIRED_TOKEN",)] * 3 + [("RATE_LIMITED",)] * 9, answers


@pytest.mark.parametrize(
    "settings_overrides",
    storages(
        {"rate_limit_password_reset_per_address": "3/hour", "mail_per_recipient_per_minute": 5}
    ),
)
async def test_a_concurrent_burst_on_a_live_link_has_one_winner_within_the_budget(
    live: LiveServer, services: Services
) -> None:
    """A live link raced by twelve resets from one address: one wins, the others are told the
    link is used (a right guess gives its reservation back) or, past the budget, refused."""
    await fresh_limits(live.settings)
    actor = await create_actor(services, with_password=True)
    await request_reset(live, actor.user.email)
    (mail,) = await outbox_mails(live, actor.user.email)
    token = reset_token(mail)
    results = await asyncio.gather(
        *(reset(live, token, f"burst {n} tangerine orbit 42 sails") for n in range(12))
    )
    assert sum(1 for r in results if r["reset"]) == 1, results
    for result in results:
        assert result["reset"] or codes(result) in (
            ["INVALID_OR_EXPIRED_TOKEN"],
            ["RATE_LIMITED"],
        ), result
    assert len(await audit_events(services, "account.password_reset")) == 1
