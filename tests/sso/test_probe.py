"""testSingleSignOn against a real provider (a second Cloud Portal on its own port): every check
passes with the right configuration, and each wrong one is explained in plain words."""

from __future__ import annotations

from typing import Any

from sqlalchemy import update

from db.models import SsoConnection
from domain.enums import Role
from runtime import Services
from tests.factories import Actor, create_actor
from tests.identity.oidc import register_client
from tests.sso.support import CONFIGURE, TEST_SSO
from tests.support.gql import call, codes, error_code, ok, payload_for
from tests.support.server import LiveServer
from tests.support.smtp import free_port

ORDER = ["DISCOVERY", "ENDPOINTS", "SIGNING_KEYS", "CLIENT_CREDENTIALS", "REDIRECT_URI"]


async def connect(
    live: LiveServer,
    upstream: LiveServer,
    *,
    redirect_uri: str | None = None,
    wrong_secret: bool = False,
) -> Actor:
    """A Super Admin whose organization signs in at ``upstream``."""
    owner = await create_actor(live.services, role=Role.SUPER_ADMIN)
    app = await register_client(
        upstream.services, redirect_uri=redirect_uri or live.settings.public_url + "/sso/callback"
    )
    assert app.client_secret is not None
    secret = app.client_secret + ("-wrong" if wrong_secret else "")
    body = {"issuer": upstream.settings.issuer, "clientId": app.client_id, "clientSecret": secret}
    await ok(live, owner, CONFIGURE, {"input": body})
    return owner


async def checks_of(live: LiveServer, who: Actor) -> dict[str, dict[str, Any]]:
    result = await payload_for(live, who, TEST_SSO)
    assert result["userErrors"] == [], result
    assert [c["code"] for c in result["checks"]] == ORDER
    return {c["code"]: c for c in result["checks"]}


async def test_every_check_passes_with_the_right_configuration(
    live: LiveServer, upstream: LiveServer
) -> None:
    owner = await connect(live, upstream)
    checks = await checks_of(live, owner)
    assert {code: c["passed"] for code, c in checks.items()} == dict.fromkeys(ORDER, True)
    assert checks["DISCOVERY"]["name"] == "Discovery document"
    assert upstream.settings.issuer in checks["DISCOVERY"]["explanation"]
    assert "signing key" in checks["SIGNING_KEYS"]["explanation"]
    assert "accepted the client id and secret" in checks["CLIENT_CREDENTIALS"]["explanation"]
    assert live.settings.public_url + "/sso/callback" in checks["REDIRECT_URI"]["explanation"]


async def test_a_wrong_secret_is_named(live: LiveServer, upstream: LiveServer) -> None:
    owner = await connect(live, upstream, wrong_secret=True)
    checks = await checks_of(live, owner)
    credentials = checks["CLIENT_CREDENTIALS"]
    assert credentials["passed"] is False
    assert "the client id or secret is wrong" in credentials["explanation"]
    assert [checks[c]["passed"] for c in ("DISCOVERY", "ENDPOINTS", "SIGNING_KEYS")] == [True] * 3


async def test_an_unregistered_redirect_uri_is_named(
    live: LiveServer, upstream: LiveServer
) -> None:
    owner = await connect(live, upstream, redirect_uri="https://elsewhere.example/callback")
    checks = await checks_of(live, owner)
    redirect = checks["REDIRECT_URI"]
    assert redirect["passed"] is False
    expected = f"register {live.settings.public_url}/sso/callback as a redirect URI"
    assert expected in redirect["explanation"], redirect
    # The credentials themselves are fine.
    assert checks["CLIENT_CREDENTIALS"]["passed"] is True


async def test_an_unreachable_issuer_is_named_and_the_rest_not_run(
    live: LiveServer, services: Services, upstream: LiveServer
) -> None:
    owner = await connect(live, upstream)
    gone = f"http://127.0.0.1:{free_port()}"
    async with services.db.unit_of_work() as session:
        await session.execute(update(SsoConnection).values(issuer=gone))
    checks = await checks_of(live, owner)
    discovery = checks["DISCOVERY"]
    assert discovery["passed"] is False
    assert discovery["explanation"] == (
        f"The provider at {gone}/.well-known/openid-configuration could not be reached."
    )
    for code in ORDER[1:]:
        assert checks[code]["passed"] is None
        assert checks[code]["explanation"].startswith("Not tested")


async def test_only_the_super_admin_tests_and_only_a_configured_connection(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    admin = await create_actor(services, role=Role.ADMIN, organization=owner.organization)
    assert error_code(await call(live, admin, TEST_SSO)) == "FORBIDDEN"
    nothing = await payload_for(live, owner, TEST_SSO)
    assert codes(nothing) == ["NOT_CONFIGURED"] and nothing["checks"] is None
