"""Use cases: create, rotate the secret of, revoke and list an organization's service accounts.

Its Super Admin and Admins (``Action.SERVICE_ACCOUNT_MANAGE``), never a service account itself
(a leaked token must not mint credentials that outlive it). The role is ADMIN or USER; an Admin
may hand out what it may grant a person (``can_manage_role``). The secret is shown once and kept
as SHA-256 (256 random bits: no slow hash needed, SECURITY.md); a rotation replaces it and ends
every token of the old one (``secret_version``). Revoking frees the name and ends every token.
Every change is audited, with the service account as target.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import ServiceAccount, User
from domain import validation
from domain.audit.service import record
from domain.authz.policy import Action, can_manage_role
from domain.authz.principal import OrgAccess, Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.enums import Role, UserStatus
from domain.errors import Forbidden, NotFound, UserError, Validator
from domain.service_accounts import errors
from domain.service_accounts import repository as repo
from kit.clock import utcnow
from kit.crypto import new_token, sha256_hex
from kit.ids import uuid7
from kit.pagination import Page, PageRequest, make_page
from kit.text import fold

MAX_PER_ORGANIZATION = 50
ROLES = frozenset({Role.ADMIN, Role.USER})
CLIENT_ID_PREFIX = "sa_"
# Recognizable by secret scanners (GitHub's push protection, trufflehog custom rules).
SECRET_PREFIX = "cpsa_"  # noqa: S105 (a prefix, not a secret)
# The backing account's address: ``.invalid`` is reserved (RFC 2606), so no form accepts it and
# no mail can go there.
EMAIL_DOMAIN = "service-accounts.invalid"

_ORGANIZATION = ("input", "organizationId")
_ID = ("input", "id")


@dataclass(frozen=True, slots=True)
class IssuedSecret:
    """A service account with the secret just made for it (shown once, never stored)."""

    account: ServiceAccount
    client_secret: str


def new_secret() -> tuple[str, str, str]:
    """(secret, its SHA-256, its hint)."""
    secret = SECRET_PREFIX + new_token(32)
    return secret, sha256_hex(secret), secret[-4:]


async def _manager_access(
    session: AsyncSession,
    principal: Principal,
    organization_id: str | uuid.UUID | None,
    *,
    field: tuple[str, ...],
    what: str = "organization",
) -> OrgAccess:
    access = await organization_access(
        session, principal, organization_id, Action.SERVICE_ACCOUNT_MANAGE, field=field, what=what
    )
    if principal.is_service_account:
        raise Forbidden("service accounts do not manage service accounts")
    return access


async def create_service_account(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    name: str,
    role: Role,
) -> IssuedSecret:
    access = await _manager_access(session, principal, organization_id, field=_ORGANIZATION)
    v = Validator(("input",))
    clean = validation.name(v, "name", name, label="name")
    if role not in ROLES:
        v.add("role", errors.INVALID_ROLE, errors.INVALID_ROLE_MESSAGE)
    elif not can_manage_role(access.role, role):
        raise Forbidden(f"cannot grant {role}")
    v.raise_if_any()
    assert clean is not None
    organization = access.organization_id
    if await repo.count_live(session, organization) >= MAX_PER_ORGANIZATION:
        raise errors.too_many(MAX_PER_ORGANIZATION, ("input",))
    taken = UserError(
        "NAME_TAKEN", "A service account of this organization has this name.", ("input", "name")
    )
    if await repo.name_taken(session, organization, fold(clean)):
        raise taken
    now = utcnow()
    account_id = uuid7()
    secret, secret_hash, hint = new_secret()
    backing = User(
        id=uuid7(),
        email=f"sa-{account_id}@{EMAIL_DOMAIN}",
        first_name=clean,
        last_name="(service account)",
        status=UserStatus.ACTIVE,
        password_hash=None,
        activated_at=now,
    )
    account = ServiceAccount(
        id=account_id,
        organization_id=organization,
        user_id=backing.id,
        name=clean,
        role=role,
        client_id=CLIENT_ID_PREFIX + new_token(18),
        secret_hash=secret_hash,
        secret_hint=hint,
        secret_version=1,
        created_by_id=principal.user_id,
    )
    try:
        await repo.insert(session, backing, account)
    except repo.NameTaken:
        raise taken from None
    await _audit(
        session,
        "service_account.created",
        principal,
        meta,
        account,
        {"name": clean, "role": role.value, "client_id": account.client_id},
    )
    return IssuedSecret(account, secret)


async def _locked(
    session: AsyncSession, principal: Principal, raw_id: str
) -> tuple[ServiceAccount, OrgAccess]:
    """The live service account named by the client, locked, once the caller may manage its
    organization; another tenant's is exactly as missing as one that never existed."""
    account_id = parse_id(raw_id, "service account", _ID)
    organization_id = await repo.organization_of(session, account_id)
    if organization_id is None:
        raise NotFound("service account", _ID)
    access = await _manager_access(
        session, principal, organization_id, field=_ID, what="service account"
    )
    account = await repo.lock_live(session, account_id)
    if account is None:  # revoked in between
        raise NotFound("service account", _ID)
    if not can_manage_role(access.role, account.role):
        raise Forbidden(f"cannot manage {account.role}")
    return account, access


async def rotate_secret(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, service_account_id: str
) -> IssuedSecret:
    account, _ = await _locked(session, principal, service_account_id)
    secret, secret_hash, hint = new_secret()
    account.secret_hash = secret_hash
    account.secret_hint = hint
    account.secret_version += 1
    account.secret_rotated_at = utcnow()
    await session.flush()
    await _audit(session, "service_account.secret_rotated", principal, meta, account, {})
    return IssuedSecret(account, secret)


async def revoke(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, service_account_id: str
) -> ServiceAccount:
    account, _ = await _locked(session, principal, service_account_id)
    now = utcnow()
    account.revoked_at = now
    account.revoked_by_id = principal.user_id
    await session.flush()
    await repo.disable_backing_user(session, account.user_id, now)
    await _audit(
        session, "service_account.revoked", principal, meta, account, {"name": account.name}
    )
    return account


async def list_service_accounts(
    session: AsyncSession,
    principal: Principal,
    *,
    organization_id: str | uuid.UUID | None,
    page: PageRequest,
) -> tuple[uuid.UUID, Page[ServiceAccount]]:
    """One page of the organization's live service accounts (and the organization's id, for
    counting)."""
    access = await _manager_access(session, principal, organization_id, field=("organizationId",))
    rows = await repo.list_live(session, access.organization_id, page)
    return access.organization_id, make_page(rows, page)


async def count_service_accounts(session: AsyncSession, organization_id: uuid.UUID) -> int:
    return await repo.count_live(session, organization_id)


async def _audit(
    session: AsyncSession,
    action: str,
    principal: Principal,
    meta: RequestMeta,
    account: ServiceAccount,
    details: dict[str, str],
) -> None:
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=account.organization_id,
        target_type="service_account",
        target_id=account.id,
        details=details,
    )
