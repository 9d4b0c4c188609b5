"""Two-factor helpers: codes computed the way an authenticator app does, enrollment through
GraphQL, and the hosted login's two steps."""

from __future__ import annotations

import base64
from typing import Any

import httpx
from sqlalchemy import select

from db.models import AuditEvent, User
from domain.two_factor import totp
from kit.clock import utcnow
from runtime import Services
from tests.factories import DEFAULT_PASSWORD, Actor
from tests.identity.oidc import AuthRequest, Browser
from tests.support.gql import ok
from tests.support.html import parse_page
from tests.support.server import LiveServer

START = """mutation($password: String!) {
  startTotpEnrollment(input: {password: $password}) {
    secret otpauthUri userErrors { field message code }
  }
}"""
CONFIRM = """mutation($code: String!) {
  confirmTotpEnrollment(input: {code: $code}) {
    totpEnabled recoveryCodes userErrors { field message code }
  }
}"""
DISABLE = """mutation($code: String, $password: String) {
  disableTotp(input: {code: $code, password: $password}) {
    totpEnabled userErrors { field message code }
  }
}"""
REGENERATE = """mutation($code: String, $password: String) {
  regenerateRecoveryCodes(input: {code: $code, password: $password}) {
    recoveryCodes userErrors { field message code }
  }
}"""
REQUIRE = """mutation($required: Boolean!, $organizationId: ID) {
  setOrganizationTwoFactorRequirement(
    input: {required: $required, organizationId: $organizationId}
  ) {
    organization { id requireTwoFactor } userErrors { field message code }
  }
}"""
VIEWER = "{ viewer { totpEnabled organization { requireTwoFactor } } }"


def secret_bytes(secret: str) -> bytes:
    compact = secret.replace(" ", "")
    return base64.b32decode(compact + "=" * (-len(compact) % 8))


def code(secret: str, *, steps: int = 0) -> str:
    """The app's code now (``steps`` later or earlier)."""
    return totp.code_at(secret_bytes(secret), totp.step_at(utcnow()) + steps)


async def enable_totp(live: LiveServer, actor: Actor) -> tuple[str, list[str]]:
    """(the secret, the recovery codes) of a TOTP enrolled through GraphQL."""
    started = await ok(live, actor, START, {"password": DEFAULT_PASSWORD})
    confirmed = await ok(live, actor, CONFIRM, {"code": code(started["secret"])})
    assert confirmed["totpEnabled"] is True
    return started["secret"], confirmed["recoveryCodes"]


async def forget_last_step(services: Services, actor: Actor) -> None:
    """Let the current code be used again (for tests whose subject is not replay)."""
    async with services.db.unit_of_work() as session:
        user = await session.get(User, actor.user.id)
        assert user is not None
        user.totp_last_step = None


async def user_row(services: Services, actor: Actor) -> User:
    async with services.db.read_session() as session:
        user = await session.get(User, actor.user.id)
    assert user is not None
    return user


async def audit_actions(services: Services, actor: Actor) -> list[str]:
    async with services.db.read_session() as session:
        rows = await session.scalars(
            select(AuditEvent.action)
            .where(AuditEvent.actor_user_id == actor.user.id)
            .order_by(AuditEvent.id)
        )
        return list(rows)


async def password_step(
    browser: Browser, request: AuthRequest, email: str, password: str = DEFAULT_PASSWORD
) -> httpx.Response:
    """Authorization request → login form → the page that follows a right password."""
    page = await browser.navigate("GET", request.url())
    return await browser.login(page, email, password)


async def submit_code(browser: Browser, page: httpx.Response, value: str) -> httpx.Response:
    assert page.status_code == 200, page.text
    parsed = parse_page(page.text)
    form = next(f for f in parsed.forms if "/login/totp" in f.action)
    return await browser.submit(parsed, form.action, {"code": value})


def text_of(response: httpx.Response) -> str:
    return parse_page(response.text).text if response.status_code == 200 else ""


def cookie(browser: Browser, live: LiveServer) -> str | None:
    value: Any = browser.http.cookies.get("portal_session")
    return str(value) if value is not None else None
