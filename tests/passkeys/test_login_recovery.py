"""Where an organization requires passkeys and a member has lost theirs: a password and a
recovery code do not complete the login (both can be phished); they lead to adding a new passkey,
which does (tests/console/test_passkeys.py adds passkeys in chromium)."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import func, select, update

from db.models import BrowserSession, Organization, Passkey
from runtime import Services
from tests.factories import create_actor
from tests.identity.oidc import Browser
from tests.support.html import parse_page
from tests.support.server import LiveServer
from tests.support.smtp import free_port
from tests.two_factor.support import code, enable_totp


@pytest.fixture
def settings_overrides() -> dict[str, Any]:
    return {
        "public_url": f"http://localhost:{free_port()}",
        "rate_limit_login_per_address": "1000/hour",
    }


async def test_a_recovery_code_leads_to_a_new_passkey_not_into_the_account(
    live: LiveServer, services: Services
) -> None:
    member = await create_actor(services, with_password=True)
    secret, recovery_codes = await enable_totp(live, member)
    async with services.db.unit_of_work() as session:
        session.add(
            Passkey(
                user_id=member.user.id,
                credential_id="bG9zdA",
                public_key=b"\x01" * 77,
                sign_count=3,
                name="Lost phone",
            )
        )
        await session.execute(
            update(Organization)
            .where(Organization.id == member.organization.id)
            .values(require_passkey=True)
        )

    async with Browser(live.url) as browser:
        step = await browser.login(await browser.navigate("GET", "/login"), member.user.email)
        assert step.status_code == 200, step.text
        page = parse_page(step.text)
        assert "Use a passkey" in page.form("/login/passkey/verify").button_labels()
        assert page.form("/login/totp").input_names() == ["csrf_token", "code"]

        # A TOTP code is not what the organization asked for.
        wrong = await browser.submit(page, "/login/totp", {"code": code(secret)})
        assert wrong.status_code == 200 and "That recovery code is not valid" in wrong.text

        right = await browser.submit(
            parse_page(wrong.text), "/login/totp", {"code": recovery_codes[0]}
        )
        assert right.status_code == 200, right.status_code
        assert "<h1>Add a passkey</h1>" in right.text
        assert parse_page(right.text).form("/login/passkey/setup")
        # Not signed in yet: no authenticated browser session of the member exists.
        async with services.db.read_session() as session:
            signed_in = await session.scalar(
                select(func.count())
                .select_from(BrowserSession)
                .where(BrowserSession.user_id == member.user.id)
            )
        assert signed_in == 0

    # A recovery code is good once.
    async with Browser(live.url) as browser:
        step = await browser.login(await browser.navigate("GET", "/login"), member.user.email)
        again = await browser.submit(
            parse_page(step.text), "/login/totp", {"code": recovery_codes[0]}
        )
        assert "That recovery code is not valid" in again.text
