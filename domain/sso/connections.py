"""Use case: connect a customer organization to its own OpenID provider (configureSingleSignOn).

Its Super Admin (``Action.SSO_MANAGE``). The issuer is discovered (its discovery document must
name it), the client secret sealed (domain/sso/sealing.py) and never answered again; which claim
carries groups and a mapping from groups to ADMIN or USER are optional; ``enforced`` refuses
password login to the members whose address is in one of the organization's verified domains.
Configuring again replaces the connection (a new secret each time). Audited, without the secret.
Removing it (removeSingleSignOn) routes nobody upstream any more: the domains' members sign in
with a password again (those who never had one set it through password reset).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Sequence
from typing import Protocol

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SsoConnection
from domain.audit.service import record_by
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.dependencies import HasSecrets, StoreDeps
from domain.enums import Role
from domain.errors import UserError, Validator
from domain.sso import errors
from domain.sso import repository as repo
from domain.sso.discovery import DiscoveryFailed, discover, issuer_problem
from domain.sso.sealing import SSO_SEALING_KEY, seal, unseal
from domain.sso.service import manager_access
from kit.ids import uuid7

GROUP_ROLES = frozenset({Role.ADMIN, Role.USER})
MAX_GROUP_MAPPINGS = 100

_ORGANIZATION_FIELD = ("input", "organizationId")


class ConnectionDeps(StoreDeps, HasSecrets, Protocol):
    """A transaction, the settings (timeouts, the environment) and the sealing key."""


def group_roles_of(connection: SsoConnection) -> dict[str, Role]:
    return {group: Role(role) for group, role in json.loads(connection.group_roles).items()}


async def client_secret_of(deps: HasSecrets, connection: SsoConnection) -> str:
    key = await deps.secrets.get(SSO_SEALING_KEY)
    return unseal(key, connection.client_secret_sealed, connection.id)


def _clean(
    v: Validator,
    *,
    issuer: str,
    client_id: str,
    client_secret: str,
    groups_claim: str | None,
    group_roles: Sequence[tuple[str, Role]],
    allow_http_loopback: bool,
) -> tuple[str, str, str | None, dict[str, Role]]:
    issuer = issuer.strip()
    problem = issuer_problem(issuer, allow_http_loopback=allow_http_loopback)
    if len(issuer) > 2000:
        problem = "An issuer URL has at most 2000 characters."
    if problem is not None:
        v.add("issuer", errors.INVALID_ISSUER, problem)
    client_id = client_id.strip()
    if not client_id:
        v.add("clientId", "REQUIRED", "Enter the client id the provider gave you.")
    elif len(client_id) > 500:
        v.add("clientId", "TOO_LONG", "A client id has at most 500 characters.")
    if not client_secret:
        v.add("clientSecret", "REQUIRED", "Enter the client secret the provider gave you.")
    elif len(client_secret) > 2000:
        v.add("clientSecret", "TOO_LONG", "A client secret has at most 2000 characters.")
    claim = (groups_claim or "").strip() or None
    if claim is not None and len(claim) > 200:
        v.add("groupsClaim", "TOO_LONG", "A claim name has at most 200 characters.")
    mapping: dict[str, Role] = {}
    if len(group_roles) > MAX_GROUP_MAPPINGS:
        v.add("groupRoles", "TOO_LONG", f"At most {MAX_GROUP_MAPPINGS} group mappings.")
    for index, (group, role) in enumerate(group_roles):
        name = group.strip()
        if not name or len(name) > 500:
            v.add(("groupRoles", str(index), "group"), "REQUIRED", "Name the group.")
        elif role not in GROUP_ROLES:
            v.add(
                ("groupRoles", str(index), "role"), errors.INVALID_ROLE, errors.INVALID_ROLE_MESSAGE
            )
        else:
            mapping[name] = role
    if mapping and claim is None:
        v.add("groupsClaim", "REQUIRED", "Name the claim that carries the groups to map.")
    return issuer, client_id, claim, mapping


async def configure_single_sign_on(
    deps: ConnectionDeps,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    issuer: str,
    client_id: str,
    client_secret: str,
    groups_claim: str | None = None,
    group_roles: Sequence[tuple[str, Role]] = (),
    enforced: bool | None = None,
) -> SsoConnection:
    settings = deps.settings
    async with deps.db.read_session() as session:
        access = await manager_access(
            session, principal, organization_id, field=_ORGANIZATION_FIELD
        )
    v = Validator(("input",))
    issuer, client_id, claim, mapping = _clean(
        v,
        issuer=issuer,
        client_id=client_id,
        client_secret=client_secret,
        groups_claim=groups_claim,
        group_roles=group_roles,
        allow_http_loopback=not settings.production,
    )
    v.raise_if_any()
    # Outside any transaction: the provider may take seconds to answer.
    try:
        metadata = await discover(
            issuer,
            http_timeout=settings.sso_http_timeout_seconds,
            allow_http_loopback=not settings.production,
        )
    except DiscoveryFailed as exc:
        raise UserError(errors.DISCOVERY_FAILED, str(exc), ("input", "issuer")) from None
    key = await deps.secrets.get(SSO_SEALING_KEY)  # before the unit of work (domain/secrets.py)
    organization = access.organization_id
    async with deps.db.unit_of_work() as session:
        connection = await repo.lock_connection_of(session, organization)
        created = connection is None
        if connection is None:
            connection = SsoConnection(id=uuid7(), organization_id=organization)
        connection.issuer = metadata.issuer
        connection.client_id = client_id
        connection.client_secret_sealed = seal(key, client_secret, connection.id)
        connection.groups_claim = claim
        connection.group_roles = json.dumps({g: r.value for g, r in mapping.items()})
        if enforced is not None or created:
            connection.enforced = bool(enforced)
        connection.created_by_id = principal.user_id
        if created:
            try:
                await repo.insert_connection(session, connection)
            except repo.Conflict:
                raise UserError(
                    "CONFLICT", "The connection changed meanwhile: try again.", ("input",)
                ) from None
        else:
            await session.flush()
        await record_by(
            session,
            principal,
            meta,
            "sso.connection_configured",
            target=("sso_connection", connection.id),
            organization_id=organization,
            details={
                "issuer": connection.issuer,
                "client_id": client_id,
                "groups_claim": claim,
                "group_roles": {g: r.value for g, r in mapping.items()},
                "enforced": connection.enforced,
            },
        )
        return connection


async def connection_of(
    session: AsyncSession, principal: Principal, *, organization_id: str | uuid.UUID | None
) -> SsoConnection | None:
    access = await manager_access(session, principal, organization_id, field=("organizationId",))
    return await repo.connection_of(session, access.organization_id)


async def remove_single_sign_on(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | uuid.UUID | None,
) -> uuid.UUID:
    """Delete the organization's connection (its claimed domains stay); the removed id."""
    access = await manager_access(session, principal, organization_id, field=("organizationId",))
    connection = await repo.lock_connection_of(session, access.organization_id)
    if connection is None:
        raise UserError(errors.NOT_CONFIGURED, errors.NOT_CONFIGURED_MESSAGE, ("organizationId",))
    await repo.delete_connection(session, connection)
    await record_by(
        session,
        principal,
        meta,
        "sso.connection_removed",
        target=("sso_connection", connection.id),
        organization_id=access.organization_id,
        details={
            "issuer": connection.issuer,
            "client_id": connection.client_id,
            "enforced": connection.enforced,
        },
    )
    return connection.id
