"""The viewer's own two-factor settings over GraphQL, and an organization's requirement."""

from __future__ import annotations

import asyncio
import re

import pytest
from sqlalchemy import select

from db.models import RecoveryCode
from domain.enums import Role
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor, create_actor
from tests.support.gql import call, codes, data, error_code, ok, payload_for, user_errors
from tests.support.limits import count_verifications, fresh_limits, storages
from tests.support.server import LiveServer
from tests.two_factor.support import (
    CONFIRM,
    DISABLE,
    REGENERATE,
    REQUIRE,
    START,
    VIEWER,
    audit_actions,
    code,
    enable_totp,
    user_row,
)


@pytest.fixture
async def owner(services: Services) -> Actor:
    return await create_actor(services, role=Role.SUPER_ADMIN, with_password=True)


async def recovery_rows(services: Services, actor: Actor) -> list[RecoveryCode]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(RecoveryCode).where(RecoveryCode.user_id == actor.user.id)
        )
        return list(rows)


async def test_enrollment_confirms_with_a_code_and_hands_out_recovery_codes_once(
    live: LiveServer, services: Services, owner: Actor
) -> None:
    assert (await data(live, owner, VIEWER))["viewer"]["totpEnabled"] is False
    wrong = await user_errors(live, owner, START, {"password": "not the password at all"})
    assert wrong == [
        {
            "field": ["input", "password"],
            "message": "The password is incorrect.",
            "code": "INVALID_PASSWORD",
        }
    ]
    not_started = await user_errors(live, owner, CONFIRM, {"code": "123456"})
    assert codes(not_started) == ["TOTP_ENROLLMENT_NOT_STARTED"]

    started = await ok(live, owner, START, {"password": DEFAULT_PASSWORD})
    secret = started["secret"]
    assert re.fullmatch(r"[A-Z2-7]{32}", secret)
    email = owner.user.email
    assert started["otpauthUri"] == (
        f"otpauth://totp/Cloud%20Portal:{email}?secret={secret}&issuer=Cloud%20Portal"
        "&algorithm=SHA1&digits=6&period=30"
    )
    # Pending until confirmed: not on, and the stored form is not the secret.
    row = await user_row(services, owner)
    assert row.totp_enabled_at is None and row.totp_secret and secret not in row.totp_secret
    assert (await data(live, owner, VIEWER))["viewer"]["totpEnabled"] is False

    bad = await user_errors(live, owner, CONFIRM, {"code": code(secret, steps=5)})
    assert bad == [
        {
            "field": ["input", "code"],
            "message": "That code is not valid. Enter the current code from your authenticator app.",
            "code": "INVALID_TOTP_CODE",
        }
    ]
    confirmed = await ok(live, owner, CONFIRM, {"code": code(secret)})
    assert confirmed["totpEnabled"] is True
    recovery_codes = confirmed["recoveryCodes"]
    assert len(set(recovery_codes)) == 10
    assert all(re.fullmatch(r"[2-9A-Z]{5}-[2-9A-Z]{5}", c) for c in recovery_codes)
    stored = {r.code_hash for r in await recovery_rows(services, owner)}
    assert len(stored) == 10 and not stored & set(recovery_codes)
    assert (await data(live, owner, VIEWER))["viewer"]["totpEnabled"] is True

    # Enabled: the secret is never shown again, and a second enrollment is refused.
    again = await user_errors(live, owner, START, {"password": DEFAULT_PASSWORD})
    assert codes(again) == ["TOTP_ALREADY_ENABLED"]
    assert codes(await user_errors(live, owner, CONFIRM, {"code": code(secret)})) == [
        "TOTP_ALREADY_ENABLED"
    ]
    actions = await audit_actions(services, owner)
    for action in (
        "totp.reauthentication_failed",
        "totp.enrollment_started",
        "totp.enrollment_failed",
        "totp.enabled",
    ):
        assert action in actions


async def test_disable_takes_a_fresh_code_a_recovery_code_or_the_password(
    live: LiveServer, services: Services, owner: Actor
) -> None:
    secret, recovery_codes = await enable_totp(live, owner)
    neither = await user_errors(live, owner, DISABLE, {})
    assert [(e["code"], e["field"]) for e in neither] == [
        ("REQUIRED", ["input", "code"]),
        ("REQUIRED", ["input", "password"]),
    ]
    # The code that confirmed the enrollment was used: it does not work a second time.
    replayed = await user_errors(live, owner, DISABLE, {"code": code(secret)})
    assert codes(replayed) == ["INVALID_TOTP_CODE"]
    wrong_password = await payload_for(live, owner, DISABLE, {"password": "wrong password here"})
    # A refusal says TOTP is still on (DisableTotpPayload.failed).
    assert codes(wrong_password) == ["INVALID_PASSWORD"] and wrong_password["totpEnabled"] is True
    assert (await data(live, owner, VIEWER))["viewer"]["totpEnabled"] is True

    off = await ok(live, owner, DISABLE, {"code": recovery_codes[0].lower()})
    assert off["totpEnabled"] is False
    row = await user_row(services, owner)
    assert row.totp_secret is None and row.totp_enabled_at is None
    assert await recovery_rows(services, owner) == []
    not_on = await payload_for(live, owner, DISABLE, {"password": DEFAULT_PASSWORD})
    assert codes(not_on) == ["TOTP_NOT_ENABLED"] and not_on["totpEnabled"] is False

    await enable_totp(live, owner)
    assert (await ok(live, owner, DISABLE, {"password": DEFAULT_PASSWORD}))["totpEnabled"] is False
    actions = await audit_actions(services, owner)
    assert actions.count("totp.disabled") == 2
    assert "totp.recovery_code_used" in actions and "totp.code_refused" in actions


async def test_new_recovery_codes_replace_the_old_ones(
    live: LiveServer, services: Services, owner: Actor
) -> None:
    secret, old_codes = await enable_totp(live, owner)
    renewed = await ok(live, owner, REGENERATE, {"code": code(secret, steps=1)})
    new_codes = renewed["recoveryCodes"]
    assert len(new_codes) == 10 and not set(new_codes) & set(old_codes)
    stale = await user_errors(live, owner, DISABLE, {"code": old_codes[1]})
    assert codes(stale) == ["INVALID_TOTP_CODE"]
    # A recovery code is good once.
    await ok(live, owner, REGENERATE, {"code": new_codes[0]})
    spent = await user_errors(live, owner, REGENERATE, {"code": new_codes[0]})
    assert codes(spent) == ["INVALID_TOTP_CODE"]
    assert "totp.recovery_codes_regenerated" in await audit_actions(services, owner)


@pytest.mark.parametrize("settings_overrides", [{"rate_limit_two_factor": "3/hour"}])
async def test_wrong_proofs_are_rate_limited_per_account(
    live: LiveServer, services: Services, owner: Actor, settings_overrides: object
) -> None:
    await enable_totp(live, owner)
    for _ in range(3):
        errors = await user_errors(live, owner, DISABLE, {"code": "000000"})
        assert codes(errors) == ["INVALID_TOTP_CODE"]
    limited = await user_errors(live, owner, DISABLE, {"password": DEFAULT_PASSWORD})
    assert codes(limited) == ["RATE_LIMITED"]


@pytest.mark.parametrize("settings_overrides", storages({"rate_limit_two_factor": "3/hour"}))
async def test_a_concurrent_burst_of_passwords_cannot_pass_the_limit(
    live: LiveServer, services: Services, owner: Actor, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A stolen access token, and guesses at its owner's password in parallel.
    await fresh_limits(live.settings)
    verified = count_verifications(services, monkeypatch)
    guesses = [f"guess number {n}" for n in range(30)]
    answers = await asyncio.gather(
        *(user_errors(live, owner, START, {"password": guess}) for guess in guesses)
    )
    # Each check reserves its failure before the password is verified.
    assert len(verified) <= 3
    assert sum(1 for a in answers if codes(a) == ["INVALID_PASSWORD"]) == len(verified)
    assert sum(1 for a in answers if codes(a) == ["RATE_LIMITED"]) >= len(guesses) - 3
    # The right password is refused too now, unverified.
    assert codes(await user_errors(live, owner, START, {"password": DEFAULT_PASSWORD})) == [
        "RATE_LIMITED"
    ]
    assert len(verified) <= 3


async def test_only_the_super_admin_with_totp_can_require_two_factor(
    live: LiveServer, services: Services, owner: Actor
) -> None:
    admin = await create_actor(
        services, role=Role.ADMIN, organization=owner.organization, with_password=True
    )
    assert error_code(await call(live, admin, REQUIRE, {"required": True})) == "FORBIDDEN"
    assert error_code(await call(live, None, REQUIRE, {"required": True})) == "UNAUTHENTICATED"
    first = await user_errors(live, owner, REQUIRE, {"required": True})
    assert [(e["code"], e["field"]) for e in first] == [("TOTP_NOT_ENABLED", ["input", "required"])]

    await enable_totp(live, owner)
    required = await ok(live, owner, REQUIRE, {"required": True})
    assert required["organization"] == {
        "id": str(owner.organization.id),
        "requireTwoFactor": True,
    }
    viewer = await data(live, admin, VIEWER)
    assert viewer["viewer"]["organization"]["requireTwoFactor"] is True
    # Another tenant's organization looks like a missing one.
    stranger = await create_actor(services, role=Role.SUPER_ADMIN, with_password=True)
    await enable_totp(live, stranger)
    foreign = await user_errors(
        live, stranger, REQUIRE, {"required": False, "organizationId": str(owner.organization.id)}
    )
    assert codes(foreign) == ["NOT_FOUND"]
    lifted = await ok(live, owner, REQUIRE, {"required": False})
    assert lifted["organization"]["requireTwoFactor"] is False
    assert (await audit_actions(services, owner)).count(
        "organization.two_factor_requirement_changed"
    ) == 2
