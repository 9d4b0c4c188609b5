"""configureSingleSignOn: the issuer discovered over real HTTP (the portal under test is itself an
OpenID provider, so it serves as the upstream here), the secret sealed and never answered, the
group mapping checked, audited."""

from __future__ import annotations

import json

from sqlalchemy import select

from db.models import AuditEvent, SsoConnection
from domain.enums import Role
from domain.sso.connections import client_secret_of
from domain.sso.discovery import issuer_problem
from runtime import Services
from tests.factories import create_actor
from tests.sso.support import CONFIGURE, CONNECTION
from tests.support.gql import call, codes, data, error_code, ok, payload_for
from tests.support.server import LiveServer
from tests.support.smtp import free_port

SECRET = "upstream-client-secret-0123456789"


async def test_a_connection_is_discovered_sealed_and_audited(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    issuer = live.settings.issuer
    result = await ok(
        live,
        owner,
        CONFIGURE,
        {
            "input": {
                "issuer": issuer + "/",  # the trailing slash a person may add
                "clientId": "portal-client",
                "clientSecret": SECRET,
                "groupsClaim": "groups",
                "groupRoles": [{"group": "it-admins", "role": "ADMIN"}],
            }
        },
    )
    connection = result["connection"]
    assert connection["issuer"] == issuer
    assert connection["clientId"] == "portal-client"
    assert connection["groupRoles"] == [{"group": "it-admins", "role": "ADMIN"}]
    assert connection["enforced"] is False
    assert SECRET not in json.dumps(result)

    async with services.db.read_session() as session:
        row = await session.scalar(select(SsoConnection))
        events = list(
            await session.scalars(
                select(AuditEvent).where(AuditEvent.action == "sso.connection_configured")
            )
        )
    assert row is not None and SECRET not in row.client_secret_sealed
    assert await client_secret_of(services, row) == SECRET
    assert len(events) == 1 and SECRET not in json.dumps(events[0].details)
    assert events[0].organization_id == owner.organization.id

    # Reconfigured: replaced, and `enforced` kept unless given.
    await ok(
        live,
        owner,
        CONFIGURE,
        {"input": {"issuer": issuer, "clientId": "c2", "clientSecret": "s2", "enforced": True}},
    )
    again = await ok(
        live,
        owner,
        CONFIGURE,
        {"input": {"issuer": issuer, "clientId": "c3", "clientSecret": "s3"}},
    )
    assert again["connection"]["id"] == connection["id"]
    assert again["connection"]["enforced"] is True
    read = (await data(live, owner, CONNECTION))["singleSignOn"]
    assert read["redirectUri"] == issuer + "/sso/callback"
    assert read["connection"] == {
        "id": connection["id"],
        "issuer": issuer,
        "clientId": "c3",
        "enforced": True,
    }


async def test_an_unusable_provider_is_explained(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)

    async def refused(**input: object) -> list[dict[str, object]]:
        body = {"clientId": "c", "clientSecret": "s", **input}
        result = await payload_for(live, owner, CONFIGURE, {"input": body})
        assert result["connection"] is None, result
        errors: list[dict[str, object]] = result["userErrors"]
        return errors

    nobody = await refused(issuer=f"http://127.0.0.1:{free_port()}")
    assert codes(nobody) == ["DISCOVERY_FAILED"] and nobody[0]["field"] == ["input", "issuer"]
    assert "could not be reached" in str(nobody[0]["message"])
    # A document that names another issuer (OpenID Connect Discovery §4.3).
    other = await refused(issuer=live.settings.issuer + "/tenant")
    assert codes(other) == ["DISCOVERY_FAILED"]
    assert codes(await refused(issuer="http://idp.example.com")) == ["INVALID_ISSUER"]
    assert codes(await refused(issuer="not a url")) == ["INVALID_ISSUER"]
    mapping = await refused(
        issuer=live.settings.issuer,
        groupsClaim="groups",
        groupRoles=[{"group": "owners", "role": "SUPER_ADMIN"}],
    )
    assert codes(mapping) == ["INVALID_ROLE"]
    assert mapping[0]["field"] == ["input", "groupRoles", "0", "role"]
    assert codes(await refused(issuer=live.settings.issuer, clientSecret="")) == ["REQUIRED"]
    async with services.db.read_session() as session:
        assert await session.scalar(select(SsoConnection)) is None


async def test_only_the_super_admin_configures(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    admin = await create_actor(services, role=Role.ADMIN, organization=owner.organization)
    body = {"issuer": live.settings.issuer, "clientId": "c", "clientSecret": "s"}
    assert error_code(await call(live, admin, CONFIGURE, {"input": body})) == "FORBIDDEN"
    assert error_code(await call(live, admin, CONNECTION)) == "FORBIDDEN"


def test_production_refuses_issuers_on_internal_addresses() -> None:
    def problem(issuer: str, *, development: bool = False) -> str | None:
        return issuer_problem(issuer, allow_http_loopback=development)

    assert problem("https://login.example.com") is None
    assert problem("https://login.example.com/tenant/v2.0") is None
    for internal in ("https://10.0.0.5", "https://169.254.169.254", "https://[::1]:8443"):
        assert problem(internal) == "The issuer must be a public address.", internal
    assert problem("http://127.0.0.1:9000") == "The issuer must be an https:// URL."
    assert problem("http://127.0.0.1:9000", development=True) is None
    assert problem("http://login.example.com", development=True) is not None
    assert problem("https://login.example.com?tenant=1") is not None
