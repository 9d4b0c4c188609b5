"""An organization's sign-in requirements (two-factor, passkeys) apply to single sign-on too: a
provider's multi-factor (or, for passkeys, phishing-resistant) sign-in meets them, as its
``amr`` shows (domain/sso/federation.py); otherwise the portal's own second step follows, exactly
as after a password. node's oidc-provider answers with the ``amr`` each test gives."""

from __future__ import annotations

import httpx
import pytest
from sqlalchemy import func, select

from db.models import BrowserSession, User
from domain.enums import Role
from domain.sso.federation import (
    multi_factor,
    person_from_claims,
    phishing_resistant,
    session_amr,
)
from runtime import Services
from tests.factories import create_actor
from tests.identity.oidc import AuthRequest, Browser, RegisteredClient
from tests.sso.dns_server import DnsServer
from tests.sso.node_op import (
    NodeProvider,
    connect,
    id_token_claims,
    require,
    through_provider,
)
from tests.support.html import parse_page
from tests.support.server import LiveServer
from tests.two_factor.support import code, enable_totp, forget_last_step, submit_code, text_of

pytestmark = pytest.mark.node


@pytest.mark.parametrize(
    ("amr", "multi", "resistant"),
    [
        ([], False, False),
        (["pwd"], False, False),
        (["otp"], False, False),
        (["pwd", "pin"], False, False),  # two things known: one factor
        (["otp", "sms"], False, False),  # two things held: one factor
        (["hwk"], False, False),  # a key nobody verified the holder of
        (["mca", "rba", "wia"], False, False),
        (["mfa"], True, False),
        (["pwd", "otp"], True, False),
        (["pwd", "sms"], True, False),
        (["otp", "fpt"], True, False),
        (["swk", "user"], True, False),  # a push approval or a synced key: not bound to a site
        (["pwd", "swk"], True, False),
        (["hwk", "user"], True, True),  # a device-bound passkey (what this portal reports too)
        (["hwk", "pin"], True, True),  # a smart card or security key with its PIN
        (["pwd", "hwk"], True, True),  # a password and a security key
        (["hwk", "mfa"], True, True),
    ],
)
def test_what_a_providers_amr_proves(amr: list[str], multi: bool, resistant: bool) -> None:
    assert multi_factor(amr) is multi
    assert phishing_resistant(amr) is resistant


def test_only_well_formed_amr_values_are_kept() -> None:
    claims = {
        "sub": "s",
        "email": "a@b.example",
        # A space would read back as two values from the session (amr is stored space-separated).
        "amr": ["pwd otp", "hwk\n", "x" * 33, 5, "", "pwd", "pwd", "otp", *"abcdefgh"],
    }
    assert person_from_claims(claims, None).amr == ("pwd", "otp", "a", "b", "c", "d", "e", "f")
    assert person_from_claims({**claims, "amr": "pwd"}, None).amr == ()


def test_the_session_keeps_the_providers_amr_after_fed() -> None:
    assert session_amr(["pwd", "otp"]) == ["fed", "pwd", "otp"]
    assert session_amr(["fed", "hwk"]) == ["fed", "hwk"]
    assert session_amr([]) == ["fed"]


async def signed_in_sessions(services: Services, email: str) -> int:
    async with services.db.read_session() as session:
        count = await session.scalar(
            select(func.count())
            .select_from(BrowserSession)
            .join(User, User.id == BrowserSession.user_id)
            .where(User.email == email)
        )
    return int(count or 0)


def path_of(response: httpx.Response) -> str:
    return response.url.path


async def test_a_multi_factor_sign_in_at_the_provider_meets_the_two_factor_requirement(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await connect(live, services, op, dns_server)
    await require(services, owner, require_mfa=True)
    email = f"mia@{domain}"
    op.set_account(email, name="Mia Multi", amr=["pwd", "otp"])
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        answer = await through_provider(live, ours, op, request, email)
        _, claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["fed", "pwd", "otp"]


async def test_a_single_factor_sign_in_goes_through_the_portals_second_step(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await connect(live, services, op, dns_server)
    await require(services, owner, require_mfa=True)
    email = f"sol@{domain}"
    op.set_account(email, name="Sol Single", amr=["pwd"])

    # A first sign-in: the account is new and has no second factor: it sets TOTP up here.
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        page = await through_provider(live, ours, op, request, email)
        assert page.status_code == 200 and path_of(page) == "/login/totp/setup", page.url
        assert await signed_in_sessions(services, email) == 0
        text = text_of(page)
        secret = "".join(
            text.split("setup key into the app (time-based, 6 digits):")[1].split()[:8]
        )
        done = await submit_code(ours, page, code(secret))
        assert "Save your recovery codes" in text_of(done)
        codes = [c for c in text_of(done).split() if len(c) == 11 and c[5] == "-"]
        answer = await ours.navigate(
            "GET", parse_page(done.text).link("I have saved them, continue")
        )
        _, claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["fed", "pwd", "otp"]

    # Next time: the code page (a recovery code will do), then the relying party.
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        page = await through_provider(live, ours, op, request, email)
        assert page.status_code == 200 and path_of(page) == "/login/totp", page.url
        answer = await submit_code(ours, page, codes[0])
        _, claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["fed", "pwd", "otp"]

    # The provider now asks for a security key as well: nothing more to ask here.
    op.set_account(email, name="Sol Single", amr=["pwd", "hwk"])
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        answer = await through_provider(live, ours, op, request, email)
        _, claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["fed", "pwd", "hwk"]


async def test_an_accounts_own_totp_is_asked_after_a_single_factor_sign_in(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
) -> None:
    owner, domain = await connect(live, services, op, dns_server)
    member = await create_actor(
        services,
        role=Role.USER,
        organization=owner.organization,
        email=f"tom@{domain}",
        with_password=True,
    )
    secret, _ = await enable_totp(live, member)
    await forget_last_step(services, member)
    op.set_account(member.user.email, name="Tom Totp", amr=["pwd"])
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        page = await through_provider(live, ours, op, request, member.user.email)
        assert path_of(page) == "/login/totp", page.url
        answer = await submit_code(ours, page, code(secret))
        _, claims = await id_token_claims(live, request, answer)
    assert claims["amr"] == ["fed", "pwd", "otp"]


@pytest.mark.parametrize(
    ("amr", "next_page"),
    [
        (["hwk", "user"], None),
        (["pwd", "hwk"], None),
        (["pwd", "otp"], "/login/passkey/setup"),
        (["swk", "user"], "/login/passkey/setup"),
        (["mfa"], "/login/passkey/setup"),
    ],
)
async def test_a_passkey_requirement_is_met_only_by_a_phishing_resistant_sign_in(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    rp: RegisteredClient,
    amr: list[str],
    next_page: str | None,
) -> None:
    owner, domain = await connect(live, services, op, dns_server)
    await require(services, owner, require_passkey=True)
    email = f"pat@{domain}"
    op.set_account(email, name="Pat Key", amr=amr)
    request = AuthRequest(rp, scope="openid profile email")
    async with Browser(live.url) as ours:
        answer = await through_provider(live, ours, op, request, email)
        if next_page is None:
            _, claims = await id_token_claims(live, request, answer)
            assert claims["amr"] == ["fed", *amr]
            return
        # No passkey yet: the portal's own step adds one before the sign-in completes.
        assert answer.status_code == 200 and path_of(answer) == next_page, answer.url
        assert "<h1>Add a passkey</h1>" in answer.text
        assert await signed_in_sessions(services, email) == 0
