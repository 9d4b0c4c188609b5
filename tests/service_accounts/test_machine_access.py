"""Service accounts end to end: created over GraphQL, a token from the real token endpoint
(client_credentials, HTTP Basic and form), GraphQL acting in that one organization with that
role, audited as the actor; rotation, revocation and suspension stop it at once."""

from __future__ import annotations

import base64
import json
import uuid
from typing import Any

import pytest
from sqlalchemy import select

from db.models import AuditEvent, ServiceAccount, User
from domain.enums import Role, UserStatus
from runtime import Services
from tests.admin.support import REACTIVATE, SUSPEND
from tests.factories import create_actor
from tests.identity.oidc import RegisteredClient
from tests.partners.support import create_partner, map_directly
from tests.service_accounts.support import (
    CREATE,
    LIST,
    REVOKE,
    ROTATE,
    Machine,
    access_token,
    create_service_account,
    token_response,
)
from tests.support.gql import call, codes, data, error_code, nodes, ok, payload_for
from tests.support.server import LiveServer

VIEWER = "{ viewer { role organization { id } user { firstName lastName } } }"
LOCATIONS = "query($org: ID) { locations(organizationId: $org, first: 5) { totalCount } }"
CREATE_LOCATION = """
mutation($input: CreateLocationInput!) {
  createLocation(input: $input) { location { id } userErrors { code field } }
}
"""


def claims_of(token: str) -> dict[str, Any]:
    segment = token.split(".")[1]
    decoded: dict[str, Any] = json.loads(
        base64.urlsafe_b64decode(segment + "=" * (-len(segment) % 4))
    )
    return decoded


def new_location(org: Any = None) -> dict[str, Any]:
    body: dict[str, Any] = {"name": f"Site {uuid.uuid4().hex[:8]}", "timeZone": "Europe/Berlin"}
    if org is not None:
        body["organizationId"] = str(org)
    return {"input": body}


@pytest.mark.parametrize("method", ["client_secret_basic", "client_secret_post"])
async def test_a_user_service_account_reads_its_organization_and_may_not_write(
    live: LiveServer, services: Services, method: str
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    machine = await create_service_account(live, owner, name="Nightly export", role="USER")

    response = await token_response(live, machine.client_id, machine.client_secret, method=method)
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "no-store"
    body = response.json()
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == live.settings.access_token_ttl_seconds
    assert "refresh_token" not in body and "id_token" not in body
    granted = set(body["scope"].split())
    assert {"organizations:read", "devices:read"} <= granted
    assert not granted & {"devices:write", "account:security", "platform:admin", "audit:read"}
    claims = claims_of(body["access_token"])
    assert claims["sub"] == machine.id
    assert claims["client_id"] == machine.client_id
    assert claims["org"] == str(owner.organization.id)
    assert "sid" not in claims

    token = body["access_token"]
    viewer = (await data(live, token, VIEWER))["viewer"]
    assert viewer["role"] == "USER"
    assert viewer["organization"]["id"] == str(owner.organization.id)
    assert viewer["user"]["firstName"] == "Nightly export"
    assert (await data(live, token, LOCATIONS))["locations"]["totalCount"] == 1
    assert error_code(await call(live, token, CREATE_LOCATION, new_location())) == "FORBIDDEN"
    # Managing service accounts is for people.
    created = await call(live, token, CREATE, {"input": {"name": "Child", "role": "USER"}})
    assert error_code(created) == "FORBIDDEN"


async def test_an_admin_service_account_writes_and_is_the_audited_actor(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.ADMIN)
    machine = await create_service_account(live, owner, name="VMS sync", role="ADMIN")
    token = await access_token(live, machine)
    created = await ok(live, token, CREATE_LOCATION, new_location())
    location_id = created["location"]["id"]

    async with services.db.read_session() as session:
        account = await session.scalar(
            select(ServiceAccount).where(ServiceAccount.id == uuid.UUID(machine.id))
        )
        assert account is not None and account.last_used_at is not None
        events = (
            await session.scalars(
                select(AuditEvent).where(AuditEvent.target_id.in_([location_id, machine.id]))
            )
        ).all()
    by_action = {e.action: e for e in events}
    assert by_action["location.created"].actor_user_id == account.user_id
    assert by_action["location.created"].organization_id == owner.organization.id
    assert by_action["service_account.created"].actor_user_id == owner.user.id
    assert by_action["service_account.token_issued"].actor_user_id == account.user_id

    # The audit log over GraphQL names the service account as the actor.
    log = await call(
        live,
        owner,
        """{ auditEvents(first: 50) { edges { node { action actorId actorServiceAccount { id name } } } } }""",
    )
    made = [n for n in nodes(log, "auditEvents") if n["action"] == "location.created"]
    assert made and made[0]["actorServiceAccount"] == {"id": machine.id, "name": "VMS sync"}
    assert made[0]["actorId"] == str(account.user_id)


async def test_another_organization_is_out_of_reach(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    other = await create_actor(services, role=Role.SUPER_ADMIN)
    machine = await create_service_account(live, owner, name="Reader", role="ADMIN")
    token = await access_token(live, machine)
    foreign = await call(live, token, LOCATIONS, {"org": str(other.organization.id)})
    assert error_code(foreign) == "NOT_FOUND"
    missing = await call(live, token, LOCATIONS, {"org": str(uuid.uuid4())})
    assert error_code(missing) == "NOT_FOUND"
    refused = await payload_for(live, token, CREATE_LOCATION, new_location(other.organization.id))
    assert codes(refused) == ["NOT_FOUND"]
    # Naming another organization as the working one is refused outright.
    headers = {"Authorization": f"Bearer {token}", "X-Organization-Id": str(other.organization.id)}
    assert error_code(await call(live, headers, VIEWER)) == "FORBIDDEN"
    # ... and the other organization's admin does not see the service account.
    theirs = await data(live, other, LIST, {})
    assert theirs["serviceAccounts"]["totalCount"] == 0
    mine = await call(live, owner, LIST, {})
    assert [n["id"] for n in nodes(mine, "serviceAccounts")] == [machine.id]
    assert nodes(mine, "serviceAccounts")[0]["lastUsedAt"] is not None
    # Their admin cannot rotate or revoke it: exactly as missing as a random id.
    for document in (ROTATE, REVOKE):
        for target in (machine.id, str(uuid.uuid4()), "not-a-uuid"):
            answer = await payload_for(live, other, document, {"input": {"id": target}})
            assert answer["userErrors"] == [
                {
                    "field": ["input", "id"],
                    "message": "The service account does not exist.",
                    "code": "NOT_FOUND",
                }
            ], answer


async def test_roles_names_and_who_may_manage(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    for role in ("SUPER_ADMIN", "TECHNICIAN", "INTERNAL_ADMIN"):
        refused = await payload_for(live, owner, CREATE, {"input": {"name": "Root", "role": role}})
        assert refused["userErrors"][0]["code"] == "INVALID_ROLE"
        assert refused["userErrors"][0]["field"] == ["input", "role"]
        assert refused["clientSecret"] is None
    blank = await payload_for(live, owner, CREATE, {"input": {"name": "  ", "role": "USER"}})
    assert codes(blank) == ["REQUIRED"]
    await create_service_account(live, owner, name="Backup", role="USER")
    taken = await payload_for(live, owner, CREATE, {"input": {"name": "BACKUP", "role": "USER"}})
    assert codes(taken) == ["NAME_TAKEN"]
    user = await create_actor(services, role=Role.USER, organization=owner.organization)
    denied = await call(live, user, CREATE, {"input": {"name": "Mine", "role": "USER"}})
    assert error_code(denied) == "FORBIDDEN"
    assert error_code(await call(live, user, LIST, {})) == "FORBIDDEN"


async def test_wrong_secrets_and_unknown_clients_are_invalid_client(
    live: LiveServer, services: Services, rp: RegisteredClient
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    machine = await create_service_account(live, owner, name="Probe", role="USER")
    for method in ("client_secret_basic", "client_secret_post"):
        wrong = await token_response(live, machine.client_id, "cpsa_wrong", method=method)
        assert wrong.status_code == 401, wrong.text
        assert wrong.json()["error"] == "invalid_client"
    unknown = await token_response(live, "sa_unknown", machine.client_secret)
    assert unknown.json()["error"] == "invalid_client"
    # A service account has no other grant ...
    refresh = await token_response(
        live, machine.client_id, machine.client_secret, grant_type="refresh_token"
    )
    assert refresh.json()["error"] in {"unauthorized_client", "invalid_request"}
    # ... and an ordinary OIDC client does not get client_credentials.
    assert rp.client_secret is not None
    ordinary = await token_response(live, rp.client_id, rp.client_secret)
    assert ordinary.status_code == 400, ordinary.text
    assert ordinary.json()["error"] == "unauthorized_client"
    async with services.db.read_session() as session:
        failed = (
            await session.scalars(
                select(AuditEvent.action).where(AuditEvent.target_id == machine.id)
            )
        ).all()
    assert failed.count("service_account.authentication_failed") == 2


async def test_a_narrower_scope_can_be_asked_for(live: LiveServer, services: Services) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    machine = await create_service_account(live, owner, name="Narrow", role="ADMIN")
    response = await token_response(
        live, machine.client_id, machine.client_secret, scope="devices:read platform:admin"
    )
    assert response.json()["scope"] == "devices:read"
    token = response.json()["access_token"]
    assert (await data(live, token, LOCATIONS))["locations"]["totalCount"] == 1
    assert error_code(await call(live, token, CREATE_LOCATION, new_location())) == "FORBIDDEN"


async def test_rotation_ends_the_old_secret_and_its_tokens(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.ADMIN)
    machine = await create_service_account(live, owner, name="Rotating", role="USER")
    old_token = await access_token(live, machine)
    rotated = await ok(live, owner, ROTATE, {"input": {"id": machine.id}})
    payload = rotated
    new_secret = payload["clientSecret"]
    assert new_secret != machine.client_secret
    assert payload["serviceAccount"]["secretHint"] == new_secret[-4:]
    assert payload["serviceAccount"]["secretRotatedAt"] is not None
    old = await token_response(live, machine.client_id, machine.client_secret)
    assert old.json()["error"] == "invalid_client"
    assert error_code(await call(live, old_token, VIEWER)) == "UNAUTHENTICATED"
    fresh = Machine(machine.id, machine.client_id, new_secret, machine.organization_id)
    assert (await data(live, await access_token(live, fresh), VIEWER))["viewer"]["role"] == "USER"


async def test_revocation_ends_the_secret_and_every_token(
    live: LiveServer, services: Services
) -> None:
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    machine = await create_service_account(live, owner, name="Doomed", role="ADMIN")
    token = await access_token(live, machine)
    revoked = await ok(live, owner, REVOKE, {"input": {"id": machine.id}})
    assert revoked["revokedServiceAccountId"] == machine.id
    assert error_code(await call(live, token, VIEWER)) == "UNAUTHENTICATED"
    again = await token_response(live, machine.client_id, machine.client_secret)
    assert again.json()["error"] == "invalid_client"
    assert (await data(live, owner, LIST, {}))["serviceAccounts"]["totalCount"] == 0
    twice = await payload_for(live, owner, REVOKE, {"input": {"id": machine.id}})
    assert codes(twice) == ["NOT_FOUND"]
    # The name is free again; the backing account cannot act.
    await create_service_account(live, owner, name="Doomed", role="USER")
    async with services.db.read_session() as session:
        account = await session.get(ServiceAccount, uuid.UUID(machine.id))
        assert account is not None and account.revoked_at is not None
        backing = await session.get(User, account.user_id)
        assert backing is not None and backing.status is UserStatus.DISABLED
        assert backing.password_hash is None


async def test_a_suspended_organization_stops_its_service_accounts(
    live: LiveServer, services: Services
) -> None:
    internal = await create_actor(services, role=Role.INTERNAL_ADMIN)
    owner = await create_actor(services, role=Role.SUPER_ADMIN)
    machine = await create_service_account(live, owner, name="Suspended", role="USER")
    token = await access_token(live, machine)
    org = str(owner.organization.id)
    await ok(live, internal, SUSPEND, {"input": {"organizationId": org, "reason": "Unpaid"}})
    assert error_code(await call(live, token, VIEWER)) == "FORBIDDEN"
    refused = await token_response(live, machine.client_id, machine.client_secret)
    assert refused.status_code == 400, refused.text
    assert refused.json()["error"] == "unauthorized_client"
    await ok(live, internal, REACTIVATE, {"input": {"organizationId": org}})
    assert (await data(live, token, VIEWER))["viewer"]["role"] == "USER"
    assert (await access_token(live, machine)).count(".") == 2


async def test_a_partner_service_account_reads_its_customers_list_but_not_the_customers(
    live: LiveServer, services: Services
) -> None:
    partner, _ = await create_partner(services)
    customer = await create_actor(services, role=Role.SUPER_ADMIN)
    await map_directly(services, partner.organization, customer.organization)
    machine = await create_service_account(live, partner, name="Partner dashboard", role="USER")
    token = await access_token(live, machine)
    landing = await data(
        live,
        token,
        "{ landing { __typename ... on PartnerLanding { customers(first: 5) "
        "{ edges { node { id } } } } } }",
    )
    edges = landing["landing"]["customers"]["edges"]
    assert [e["node"]["id"] for e in edges] == [str(customer.organization.id)]
    # The partner's staff reach a customer only as assigned technicians: a service account never.
    devices = await call(live, token, LOCATIONS, {"org": str(customer.organization.id)})
    assert error_code(devices) == "NOT_FOUND"
