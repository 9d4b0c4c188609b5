"""Scale-out: one deployment as several ``server.py serve`` processes sharing one PostgreSQL and
one Redis (PostgreSQL + Redis only, by nature: SQLite cannot be shared across hosts; see
tests/support/cluster.py for when this skips and when it fails).

One journey spread over the processes — register on one, activate on another, log in (OIDC code +
PKCE through the hosted form) on a third, refresh on the first — then what must be shared: the
login budget per client address (Redis), the signing keys and their rotation (`rotate-keys`), and
the outbox, which delivers each mail once with every process's worker polling.
"""

from __future__ import annotations

import asyncio
import base64
import json
import uuid
from collections import Counter
from pathlib import Path
from typing import Any

import httpx
from sqlalchemy import func, select

from db.database import Database
from db.models import OutboxMessage
from domain.enums import OutboxStatus
from identity.oauth.clients import create_client
from identity.pages.login import WRONG_CREDENTIALS
from tests.accounts.journeys import (
    ACTIVATE,
    CREATE_CUSTOMER,
    GOOD_PASSWORD,
    customer_form,
    delivered,
)
from tests.identity.oidc import (
    REDIRECT_URI,
    AuthRequest,
    Browser,
    RegisteredClient,
    callback_params,
    exchange_code,
    refresh,
)
from tests.mail._helpers import addresses, enqueue_to, eventually
from tests.support.cluster import Cluster, Node, cluster
from tests.support.html import parse_page
from tests.support.smtp import SmtpSink

VIEWER = "{ viewer { user { email } } }"
# Failed logins one client address may make in the window, counted by all processes together.
LOGIN_BUDGET = 3
MAILS = 120


def _kid(jwt: str) -> str:
    header = jwt.split(".", 1)[0]
    kid: str = json.loads(base64.urlsafe_b64decode(header + "=" * (-len(header) % 4)))["kid"]
    return kid


async def _viewer_email(node: Node, token: str) -> str | None:
    body = await node.graphql(VIEWER, token=token)
    if body.get("errors"):
        return None
    data: Any = body["data"]
    email: str = data["viewer"]["user"]["email"]
    return email


async def _log_in(node: Node, rp: RegisteredClient, email: str, password: str) -> httpx.Response:
    """The hosted form on ``node``: the authorization request, then the login form's POST."""
    async with Browser(node.url) as browser:
        page = await browser.navigate("GET", AuthRequest(rp).url())
        assert page.status_code == 200, page.text
        return await browser.submit(
            parse_page(page.text), "/login", {"email": email, "password": password}
        )


async def _journey(nodes: list[Node], rp: RegisteredClient, smtp: SmtpSink) -> dict[str, Any]:
    a, b, c = nodes[0], nodes[1], nodes[2]
    # Register on the first process.
    form = customer_form()
    body = await a.graphql(CREATE_CUSTOMER, {"input": form})
    assert body["data"] == {"createCustomerOrganization": {"accepted": True, "userErrors": []}}
    # The activation mail comes from whichever process's outbox worker claimed it.
    (mail,) = await delivered(smtp, form["email"])
    # Activate on the second.
    activation = {"token": mail.activation_token, "code": mail.activation_code}
    body = await b.graphql(ACTIVATE, {"input": {**activation, "newPassword": GOOD_PASSWORD}})
    data: Any = body["data"]
    assert data["activateAccount"]["activated"] is True, body
    # Log in on the third: authorization request, hosted form, code exchange, all on one process.
    request = AuthRequest(rp)
    async with Browser(c.url) as browser:
        page = await browser.navigate("GET", request.url())
        params = callback_params(await browser.login(page, form["email"], GOOD_PASSWORD))
    response = await exchange_code(c.client, request, params["code"])
    assert response.status_code == 200, response.text
    signed_in = response.json()
    assert await _viewer_email(b, signed_in["access_token"]) == form["email"]
    # Refresh on the first; the rotated-out refresh token is refused on any other process.
    response = await refresh(a.client, rp, signed_in["refresh_token"])
    assert response.status_code == 200, response.text
    refreshed: dict[str, Any] = response.json()
    for node in nodes:
        assert await _viewer_email(node, refreshed["access_token"]) == form["email"]
    return {"email": form["email"], "tokens": refreshed, "first_refresh": signed_in}


async def _login_budget_is_shared(nodes: list[Node], rp: RegisteredClient, email: str) -> None:
    # Failed logins from one address, one per process (unknown accounts: the account's own
    # throttling is in the database and shared anyway; the address budget lives in Redis).
    for node in nodes[:LOGIN_BUDGET]:
        failed = await _log_in(node, rp, f"nobody-{uuid.uuid4().hex[:8]}@example.com", "wrong")
        assert failed.status_code == 200 and WRONG_CREDENTIALS in failed.text, node.name
    # The budget is spent for every process: the right password is refused on the last one too,
    # which saw no failure itself.
    refused = await _log_in(nodes[-1], rp, email, GOOD_PASSWORD)
    assert refused.status_code == 200, (refused.status_code, refused.headers)
    assert WRONG_CREDENTIALS in refused.text


async def _rotation_is_shared(
    cluster: Cluster, rp: RegisteredClient, tokens: dict[str, Any]
) -> None:
    nodes = cluster.nodes
    old_kid = _kid(tokens["access_token"])
    new_kid = (await cluster.cli("rotate-keys")).strip().rsplit(" ", 1)[-1]
    assert new_kid != old_kid
    # Tokens from before still verify on every process.
    for node in nodes:
        assert await _viewer_email(node, tokens["access_token"]) is not None, node.name
    # Once the new key has been published for a reload interval, every process signs with it
    # and every process publishes both keys.
    await asyncio.sleep(float(cluster.env["PORTAL_SIGNING_KEY_PUBLISH_SECONDS"]) + 0.2)
    refresh_token = tokens["refresh_token"]
    fresh: list[str] = []
    for node in nodes:
        response = await refresh(node.client, rp, refresh_token)
        assert response.status_code == 200, (node.name, response.text)
        issued = response.json()
        refresh_token = issued["refresh_token"]
        assert _kid(issued["access_token"]) == new_kid, node.name
        fresh.append(issued["access_token"])
        kids = {key["kid"] for key in (await node.client.get("/oauth/jwks")).json()["keys"]}
        assert {old_kid, new_kid} <= kids, node.name
    for token in fresh:
        for node in nodes:
            assert await _viewer_email(node, token) is not None, node.name


async def _revocation_is_shared(nodes: list[Node], rp: RegisteredClient, journey: Any) -> None:
    # Replaying the first, long rotated-out refresh token (on a process that never saw it) is
    # reuse: the whole family ends, and its access tokens stop working on every process.
    replayed = await refresh(nodes[1].client, rp, journey["first_refresh"]["refresh_token"])
    assert replayed.status_code == 400 and replayed.json()["error"] == "invalid_grant"
    for node in nodes:
        assert await _viewer_email(node, journey["tokens"]["access_token"]) is None, node.name


async def _each_mail_once(cluster: Cluster, smtp: SmtpSink) -> None:
    recipients = addresses(MAILS, "scale")
    db = Database.from_url(cluster.database_url, pool_size=1)
    try:
        await enqueue_to(db, recipients, cluster.env["PORTAL_PUBLIC_URL"])

        async def all_arrived() -> bool:
            return sum(len(smtp.to(r)) for r in recipients) >= MAILS

        await eventually(all_arrived, within=30, interval=0.1)
        await asyncio.sleep(1.0)  # a duplicate would arrive now
        per_recipient = Counter({r: len(smtp.to(r)) for r in recipients})
        assert set(per_recipient.values()) == {1}, per_recipient.most_common(3)
        ids = [m.message_id for r in recipients for m in smtp.to(r)]
        assert len(set(ids)) == MAILS
        async with db.read_session() as session:
            sent = await session.scalar(
                select(func.count())
                .select_from(OutboxMessage)
                .where(
                    OutboxMessage.recipient.in_(recipients),
                    OutboxMessage.status == OutboxStatus.SENT,
                )
            )
        assert sent == MAILS
    finally:
        await db.dispose()


async def test_one_journey_across_processes(smtp: SmtpSink, tmp_path: Path) -> None:
    # Three single processes and one `serve --workers 2` (the way one host runs several).
    async with cluster(
        [1, 1, 1, 2],
        smtp_url=smtp.url,
        directory=tmp_path,
        rate_limit_login_per_address=f"{LOGIN_BUDGET}/hour",
        signing_key_reload_seconds="0.5",
        signing_key_publish_seconds="1.5",
        # The replay of the first refresh token comes seconds after its rotation: strict reuse.
        refresh_reuse_grace_seconds="0",
    ) as deployment:
        db = Database.from_url(deployment.database_url, pool_size=1)
        try:
            created = await create_client(db, name="Scale", redirect_uris=[REDIRECT_URI])
        finally:
            await db.dispose()
        rp = RegisteredClient(created.client_id, created.client_secret)
        journey = await _journey(deployment.nodes, rp, smtp)
        await _rotation_is_shared(deployment, rp, journey["tokens"])
        await _revocation_is_shared(deployment.nodes, rp, journey)
        await _login_budget_is_shared(deployment.nodes, rp, journey["email"])
        await _each_mail_once(deployment, smtp)
