"""node's oidc-provider (tests/node/upstream_op.mjs) as an organization's OpenID provider: started
on a free loopback port for one test, its requests counted from what it logs."""

from __future__ import annotations

import contextlib
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import IO, Any
from urllib.parse import parse_qs, urlsplit

import httpx
from sqlalchemy import update

from db.models import Organization
from domain.enums import Role
from domain.sso.federation import CALLBACK_PATH
from runtime import Services
from tests.factories import Actor, create_actor
from tests.identity.oidc import (
    AuthRequest,
    Browser,
    callback_params,
    exchange_code,
    verified_claims,
)
from tests.sso.dns_server import DnsServer
from tests.sso.support import CLAIM, CONFIGURE, VERIFY
from tests.support.gql import ok
from tests.support.html import parse_page
from tests.support.server import LiveServer

NODE_DIR = Path(__file__).resolve().parents[1] / "node"
SCRIPT = NODE_DIR / "upstream_op.mjs"
CLIENT_ID = "cloud-portal"
CLIENT_SECRET = "upstream-client-secret-for-tests"
START_SECONDS = 20.0


@dataclass
class NodeProvider:
    issuer: str
    process: subprocess.Popen[str]
    client_id: str = CLIENT_ID
    client_secret: str = CLIENT_SECRET
    lines: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)

    def requests(self, method: str, path: str) -> int:
        """How many ``method path`` requests the provider has served so far."""
        self._sync()
        return self.lines.count(f"request {method} {path}")

    def _sync(self) -> None:
        """Wait until every line the provider logged before now has been read: it logs requests
        in order, so once a marker request's line is here, all earlier ones are."""
        marker = f"/_test/sync/{uuid.uuid4().hex}"
        httpx.get(self.issuer + marker, timeout=10)
        deadline = time.monotonic() + 10
        while f"request GET {marker}" not in self.lines:
            assert time.monotonic() < deadline, "the provider's log is not being read"
            time.sleep(0.01)

    def set_account(
        self,
        email: str,
        *,
        name: str = "",
        groups: list[str] | None = None,
        amr: list[str] | None = None,
        email_verified: bool = True,
    ) -> None:
        body: dict[str, Any] = {
            "name": name,
            "groups": groups or [],
            "email_verified": email_verified,
        }
        if amr is not None:
            body["amr"] = amr
        response = httpx.put(f"{self.issuer}/_test/accounts/{email}", json=body, timeout=10)
        assert response.status_code == 204, response.text

    def rotate_keys(self) -> None:
        response = httpx.post(f"{self.issuer}/_test/rotate", timeout=30)
        assert response.status_code == 204, response.text

    async def sign_in(self, location: str, email: str, callback: str) -> str:
        """A browser at the provider: the authorization request ``location`` → its login form →
        ``email`` signs in; the redirect back to ``callback`` (with code or error)."""
        async with httpx.AsyncClient(follow_redirects=False, timeout=30) as browser:
            response = await browser.get(location)
            for _ in range(10):
                if response.status_code in {302, 303}:
                    target = str(response.next_request.url) if response.next_request else ""
                    if target.startswith(callback):
                        return target
                    response = await browser.get(target)
                    continue
                assert response.status_code == 200, (response.status_code, response.text[:500])
                assert 'name="email"' in response.text, response.text[:500]
                action = urlsplit(str(response.url)).path + "/login"
                response = await browser.post(
                    self.issuer + action, data={"email": email}, headers={"Origin": self.issuer}
                )
        raise AssertionError("the provider never sent the browser back")


def callback_query(url: str) -> dict[str, str]:
    return {k: v[0] for k, v in parse_qs(urlsplit(url).query).items()}


def _read(stream: IO[str], into: list[str]) -> None:
    for line in stream:
        into.append(line.rstrip("\n"))


@contextlib.contextmanager
def running(redirect_uri: str) -> Iterator[NodeProvider]:
    """The provider, its one client registered with ``redirect_uri``, until the block ends."""
    node = shutil.which("node")
    assert node, "node is required (make test-deps: npm ci in tests/node)"
    assert (NODE_DIR / "node_modules" / "oidc-provider").is_dir(), "npm ci in tests/node"
    process = subprocess.Popen(
        [node, str(SCRIPT), "0", CLIENT_ID, CLIENT_SECRET, redirect_uri],
        cwd=NODE_DIR,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    lines: list[str] = []
    errors: list[str] = []
    assert process.stdout is not None and process.stderr is not None
    readers = [
        threading.Thread(target=_read, args=(process.stdout, lines), daemon=True),
        threading.Thread(target=_read, args=(process.stderr, errors), daemon=True),
    ]
    for reader in readers:
        reader.start()
    try:
        deadline = time.monotonic() + START_SECONDS
        while not lines:
            assert process.poll() is None, "\n".join(errors)
            assert time.monotonic() < deadline, "oidc-provider did not start"
            time.sleep(0.05)
        first = lines.pop(0)
        assert first.startswith("listening "), first
        yield NodeProvider(first.split(" ", 1)[1], process, lines=lines, errors=errors)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        for reader in readers:
            reader.join(timeout=10)
        process.stdout.close()
        process.stderr.close()


# --- the portal's side ----------------------------------------------------------------------------


async def connect(
    live: LiveServer,
    services: Services,
    op: NodeProvider,
    dns_server: DnsServer,
    *,
    enforced: bool = False,
    group_roles: list[dict[str, str]] | None = None,
) -> tuple[Actor, str]:
    """A customer whose verified domain signs in at ``op`` (groups in its ``groups`` claim):
    (its Super Admin, the domain)."""
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    domain = f"corp-{uuid.uuid4().hex[:8]}.example"
    claimed = (await ok(live, owner, CLAIM, {"input": {"domain": domain}}))["domain"]
    dns_server.records[claimed["txtRecordName"]] = [claimed["txtRecordValue"]]
    await ok(live, owner, VERIFY, {"id": claimed["id"]})
    body: dict[str, Any] = {
        "issuer": op.issuer,
        "clientId": op.client_id,
        "clientSecret": op.client_secret,
        "groupsClaim": "groups",
        "enforced": enforced,
    }
    if group_roles is not None:
        body["groupRoles"] = group_roles
    await ok(live, owner, CONFIGURE, {"input": body})
    return owner, domain


async def to_provider(
    ours: Browser, op: NodeProvider, request: AuthRequest, email: str, password: str = ""
) -> str:
    """The authorization request at our portal, /login with ``email``: where it sends the
    browser (the provider's authorization endpoint)."""
    page = await ours.navigate("GET", request.url())
    assert page.status_code == 200, page.text
    sent = await ours.submit(
        parse_page(page.text), "/login", {"email": email, "password": password}
    )
    assert sent.status_code == 303, sent.text
    location = sent.headers["location"]
    assert location.startswith(op.issuer + "/auth?"), location
    return location


async def through_provider(
    live: LiveServer, ours: Browser, op: NodeProvider, request: AuthRequest, email: str
) -> httpx.Response:
    """/login → the provider signs ``email`` in → /sso/callback: our portal's answer (the
    redirect to the relying party, or the page of a step still to come)."""
    location = await to_provider(ours, op, request, email)
    callback = await op.sign_in(location, email, live.url + CALLBACK_PATH)
    return await ours.navigate("GET", callback)


async def id_token_claims(
    live: LiveServer, request: AuthRequest, answer: httpx.Response
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The relying party's side: its code exchanged, the ID token's signature checked against
    our JWKS: (the token response, the ID token's claims)."""
    params = callback_params(answer, request.client.redirect_uri)
    assert params["state"] == request.state
    # A client of its own: the live server's pooled connection may have idled past uvicorn's
    # keep-alive by now on a busy machine (a reused, closed connection is a ReadError).
    async with httpx.AsyncClient(base_url=live.url, timeout=30) as relying_party:
        response = await exchange_code(relying_party, request, params["code"])
        assert response.status_code == 200, response.text
        tokens: dict[str, Any] = response.json()
        return tokens, await verified_claims(relying_party, tokens["id_token"])


async def require(services: Services, owner: Actor, **values: bool) -> None:
    """The organization's sign-in requirements (``require_mfa``, ``require_passkey``)."""
    async with services.db.unit_of_work() as session:
        await session.execute(
            update(Organization).where(Organization.id == owner.organization.id).values(**values)
        )
