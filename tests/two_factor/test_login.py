"""The hosted login's second step, through the OIDC code flow with PKCE: /login, then
/login/totp (or /login/totp/setup when an organization requires two-factor login), back at the
client with a code whose ID token says how the user signed in (``amr``)."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from sqlalchemy import select, update

from db.models import Organization, User
from domain.enums import Role
from domain.two_factor import service as two_factor_service
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor, create_actor
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
    verified_claims,
)
from tests.support.html import parse_page
from tests.support.limits import fresh_limits, storages
from tests.support.server import LiveServer
from tests.two_factor.support import (
    audit_actions,
    code,
    cookie,
    enable_totp,
    password_step,
    submit_code,
    text_of,
)

INVALID = "That code is not valid."
WRONG_PASSWORD = "The email or password is incorrect."


@pytest.fixture
def settings_overrides() -> dict[str, object]:
    return {"login_delay_base_seconds": 1.0, "rate_limit_login_per_address": "1000/hour"}


async def id_token_claims(
    live: LiveServer, request: AuthRequest, answer: httpx.Response
) -> dict[str, object]:
    params = callback_params(answer, request.client.redirect_uri)
    tokens = await exchange_code(live.client, request, params["code"])
    assert tokens.status_code == 200, tokens.text
    return await verified_claims(live.client, tokens.json()["id_token"])


async def login_failures(services: Services, actor: Actor) -> int:
    async with services.db.read_session() as session:
        count = await session.scalar(select(User.login_failures).where(User.id == actor.user.id))
    assert count is not None
    return count


async def test_without_totp_the_login_is_as_before(
    live: LiveServer, member: Actor, rp: RegisteredClient
) -> None:
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        answer = await password_step(browser, request, member.user.email)
        claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["pwd"]


async def test_a_totp_code_completes_the_login_with_amr_pwd_otp(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    secret, _ = await enable_totp(live, member)
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        first_session = None
        page = await browser.navigate("GET", request.url())
        first_session = cookie(browser, live)
        answer = await browser.login(page, member.user.email)
        # Half a login: the code page, in a new session that is not signed in.
        assert str(answer.url).endswith("/login/totp"), answer.url
        form = parse_page(answer.text).form("/login/totp")
        assert form.input_names() == ["csrf_token", "code"]
        assert form.button_labels() == ["Verify"]
        assert 'for="code"' in answer.text and 'autocomplete="one-time-code"' in answer.text
        halfway = cookie(browser, live)
        assert halfway not in {None, first_session}
        # The authorization request does not go through yet: it asks for the login again.
        again = await browser.navigate("GET", request.url())
        assert str(again.url).startswith(f"{live.url}/login?")

        answer = await password_step(browser, request, member.user.email)
        wrong = await submit_code(
            browser, answer, "000000" if code(secret) != "000000" else "111111"
        )
        assert INVALID in text_of(wrong)
        assert 'aria-describedby="code-hint code-error"' in wrong.text
        # (The enrollment used the current step: the next one is what the app shows soon.)
        done = await submit_code(browser, wrong, code(secret, steps=1))
        assert cookie(browser, live) not in {None, first_session, halfway}
        claims = await id_token_claims(live, request, done)
    assert claims["amr"] == ["pwd", "otp"]
    assert claims["sub"] == str(member.user.id)
    actions = await audit_actions(services, member)
    assert "login.password_verified" in actions
    assert "login.second_factor_failed" in actions
    assert actions[-1] == "login.succeeded"


async def test_a_code_is_good_once(live: LiveServer, member: Actor, rp: RegisteredClient) -> None:
    secret, _ = await enable_totp(live, member)
    fresh = code(secret, steps=1)
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        answer = await submit_code(
            browser, await password_step(browser, request, member.user.email), fresh
        )
        assert (await id_token_claims(live, request, answer))["amr"] == ["pwd", "otp"]
    # The same code again, in another browser: refused, though it is still inside its window.
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await password_step(browser, request, member.user.email)
        replayed = await submit_code(browser, page, fresh)
        assert INVALID in text_of(replayed)
        # An earlier step than the last one used is refused as well.
        older = await submit_code(browser, replayed, code(secret))
        assert INVALID in text_of(older)


async def test_a_recovery_code_signs_in_once(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    _, recovery_codes = await enable_totp(live, member)
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await password_step(browser, request, member.user.email)
        answer = await submit_code(browser, page, recovery_codes[3].replace("-", " ").lower())
        assert (await id_token_claims(live, request, answer))["amr"] == ["pwd", "otp"]
    assert "totp.recovery_code_used" in await audit_actions(services, member)
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await password_step(browser, request, member.user.email)
        assert INVALID in text_of(await submit_code(browser, page, recovery_codes[3]))


async def test_wrong_codes_count_towards_login_throttling(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    secret, _ = await enable_totp(live, member)
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await password_step(browser, request, member.user.email)
        # The right password alone does not clear the count: the login is not complete.
        assert await login_failures(services, member) == 1
        for n in range(3):
            page = await submit_code(browser, page, f"99999{n}")
            assert INVALID in text_of(page)
        assert await login_failures(services, member) == 4
    # Another wrong password: five consecutive failures, the delay starts.
    async with Browser(live.url) as browser:
        page = await browser.navigate("GET", AuthRequest(rp).url())
        assert WRONG_PASSWORD in text_of(await browser.login(page, member.user.email, "nope " * 4))
    assert await login_failures(services, member) == 5
    await asyncio.sleep(1.1)
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await password_step(browser, request, member.user.email)
        assert await login_failures(services, member) == 6
        # Inside the delay even the right code gets the wrong-code answer, and is not counted.
        throttled = await submit_code(browser, page, code(secret, steps=1))
        assert INVALID in text_of(throttled)
        assert await login_failures(services, member) == 6
        await asyncio.sleep(2.1)
        answer = await submit_code(browser, throttled, code(secret, steps=1))
        assert (await id_token_claims(live, request, answer))["amr"] == ["pwd", "otp"]
    assert await login_failures(services, member) == 0
    assert "login.second_factor_failed" in await audit_actions(services, member)


@pytest.mark.parametrize(
    "settings_overrides",
    [{"two_factor_login_max_tries": 2, "rate_limit_login_per_address": "1000/hour"}],
)
async def test_too_many_wrong_codes_go_back_to_the_password(
    live: LiveServer, member: Actor, rp: RegisteredClient, settings_overrides: object
) -> None:
    await enable_totp(live, member)
    async with Browser(live.url) as browser:
        page = await password_step(browser, AuthRequest(rp), member.user.email)
        page = await submit_code(browser, page, "123123")
        back = await submit_code(browser, page, "321321")
        assert str(back.url).startswith(f"{live.url}/login")
        assert "Too many wrong codes" in text_of(back)
        assert parse_page(back.text).form("/login").input_names()[-2:] == ["email", "password"]


async def test_the_halfway_state_belongs_to_its_browser(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    secret, _ = await enable_totp(live, member)
    async with Browser(live.url) as browser:
        page = await password_step(browser, AuthRequest(rp), member.user.email)
        # Another browser has no half-finished login: back to the password.
        async with Browser(live.url) as other:
            elsewhere = await other.navigate("GET", "/login/totp")
            assert "Enter your email and password again" in text_of(elsewhere)
            forged = await other.http.post(
                "/login/totp",
                data={
                    "csrf_token": parse_page(page.text).form("/login/totp").fields["csrf_token"],
                    "code": code(secret),
                },
            )
            assert forged.status_code == 403
        # A password reset in between ends it as well.
        async with services.db.unit_of_work() as session:
            await session.execute(
                update(User)
                .where(User.id == member.user.id)
                .values(security_stamp=User.security_stamp + 1)
            )
        answer = await submit_code(browser, page, code(secret))
        assert "Enter your email and password again" in text_of(answer)


async def test_an_organization_requirement_sends_members_through_setup(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization)
            .where(Organization.id == member.organization.id)
            .values(require_mfa=True)
        )
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await password_step(browser, request, member.user.email)
        assert str(page.url).endswith("/login/totp/setup"), page.url
        text = text_of(page)
        assert "Set up two-factor authentication" in text
        # The code page is not a way around the setup.
        detour = await browser.navigate("GET", "/login/totp")
        assert str(detour.url).endswith("/login/totp/setup")
        key = text.split("setup key into the app (time-based, 6 digits):")[1].split()[:8]
        secret = "".join(key)
        assert f"secret={secret}" in page.text and "otpauth://totp/Cloud%20Portal:" in page.text
        assert 'src="data:image/svg+xml' in page.text
        # A reload shows the same secret (nothing is enabled until a code confirms it).
        assert secret.encode() in (
            await browser.navigate("GET", "/login/totp/setup")
        ).content.replace(b" ", b"")

        wrong = await submit_code(browser, page, "000001" if code(secret) != "000001" else "000002")
        assert INVALID in text_of(wrong)
        # (The enrollment used the current step: the next one is what the app shows soon.)
        done = await submit_code(browser, wrong, code(secret, steps=1))
        assert done.status_code == 200 and "Save your recovery codes" in text_of(done)
        assert done.headers["cache-control"] == "no-store"
        codes = [c for c in text_of(done).split() if len(c) == 11 and c[5] == "-"]
        assert len(codes) == 10
        answer = await browser.navigate(
            "GET", parse_page(done.text).link("I have saved them, continue")
        )
        claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["pwd", "otp"]
    actions = await audit_actions(services, member)
    assert "totp.enabled" in actions and actions[-1] == "login.succeeded"
    # Next time: the code page, and a recovery code from the setup works there.
    request = AuthRequest(rp)
    async with Browser(live.url) as browser:
        page = await password_step(browser, request, member.user.email)
        assert str(page.url).endswith("/login/totp")
        answer = await submit_code(browser, page, codes[0])
        assert (await id_token_claims(live, request, answer))["amr"] == ["pwd", "otp"]


async def test_a_member_of_a_requiring_organization_elsewhere_is_bound_too(
    live: LiveServer, services: Services, member: Actor, rp: RegisteredClient
) -> None:
    other = await create_actor(services, role=Role.SUPER_ADMIN, with_password=True)
    async with services.db.unit_of_work() as session:
        from tests.factories import add_member

        org = await session.get(Organization, other.organization.id)
        user = await session.get(User, member.user.id)
        assert org is not None and user is not None
        await add_member(session, user, org, Role.USER)
        org.require_mfa = True
    async with Browser(live.url) as browser:
        page = await password_step(browser, AuthRequest(rp), member.user.email, DEFAULT_PASSWORD)
        assert str(page.url).endswith("/login/totp/setup")


@pytest.mark.parametrize(
    "settings_overrides",
    storages(
        {
            "two_factor_login_max_tries": 2,
            "rate_limit_login_per_address": "1000/hour",
            "login_failures_before_delay": 50,
        }
    ),
)
async def test_a_burst_of_codes_on_one_login_gets_its_tries_only(
    live: LiveServer,
    services: Services,
    member: Actor,
    rp: RegisteredClient,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The half-finished login's tries are reserved before a code is checked: ten codes posted at
    once on one login get two_factor_login_max_tries checks, not ten."""
    await fresh_limits(live.settings)
    await enable_totp(live, member)
    checked: list[bool] = []
    check_code = two_factor_service.check_code

    def counted(*args: Any, **kwargs: Any) -> Any:
        result = check_code(*args, **kwargs)
        checked.append(result.ok)
        return result

    monkeypatch.setattr(two_factor_service, "check_code", counted)
    async with Browser(live.url) as browser:
        page = await password_step(browser, AuthRequest(rp), member.user.email)
        parsed = parse_page(page.text)
        form = next(f for f in parsed.forms if "/login/totp" in f.action)
        answers = await asyncio.gather(
            *(
                browser.http.post(form.action, data={**form.fields, "code": f"{n:03d}000"})
                for n in range(10)
            )
        )
    assert [a.status_code for a in answers] == [303] * 10
    assert len(checked) <= 2 and not any(checked)
