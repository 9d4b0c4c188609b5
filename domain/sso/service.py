"""Use cases: claim an email domain, verify it by its DNS TXT record, remove it, list an
organization's domains.

A customer organization's Super Admin (``Action.SSO_MANAGE``). A claim proves nothing, so any
organization may claim any name that is not public mail and not already verified elsewhere; the
TXT record ``_cloud-portal-verification.<domain>`` with value ``cloud-portal-verification=<token>``
proves control of the zone, and only then does the domain route anyone (home-realm discovery).
One verified owner per name: the partial unique index decides a race. Every change is audited.
"""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import SsoDomain
from domain.audit.service import record_by
from domain.authz.policy import Action
from domain.authz.principal import OrgAccess, Principal
from domain.authz.scope import organization_access, parse_id
from domain.context import RequestMeta
from domain.dependencies import StoreDeps
from domain.errors import Forbidden, NotFound, UserError
from domain.sso import errors
from domain.sso import repository as repo
from domain.sso.public_domains import PUBLIC_EMAIL_DOMAINS
from domain.sso.txt_lookup import DnsUnavailable, txt_records
from kit.clock import utcnow
from kit.crypto import new_token
from kit.ids import uuid7

MAX_DOMAINS_PER_ORGANIZATION = 20
TXT_LABEL = "_cloud-portal-verification"
TXT_PREFIX = "cloud-portal-verification="

_DOMAIN_FIELD = ("input", "domain")
_ORGANIZATION_FIELD = ("input", "organizationId")
_ID_FIELD = ("id",)


def txt_record_name(domain: SsoDomain) -> str:
    return f"{TXT_LABEL}.{domain.name}"


def txt_record_value(domain: SsoDomain) -> str:
    return TXT_PREFIX + domain.token


def normalize_domain(raw: str) -> str | None:
    """Lower case A-labels without a trailing dot, or None when it is no hostname with a dot
    (``Example.COM.`` → ``example.com``; ``bücher.de`` → ``xn--bcher-kva.de``)."""
    text = raw.strip().rstrip(".").lower()
    if text.startswith("@"):  # "@example.com", as people copy it from an address
        text = text[1:]
    if not text or len(text) > 253:
        return None
    try:
        ascii_name = text.encode("idna").decode("ascii")
    except UnicodeError:
        return None
    labels = ascii_name.split(".")
    if len(labels) < 2 or len(ascii_name) > 253:
        return None
    for label in labels:
        if not 0 < len(label) <= 63 or label[0] == "-" or label[-1] == "-":
            return None
        if not all(c.isascii() and (c.isalnum() or c == "-") for c in label):
            return None
    if labels[-1].isdigit():  # an IP address is no mail domain
        return None
    return ascii_name


def is_public(name: str) -> bool:
    return name in PUBLIC_EMAIL_DOMAINS


async def manager_access(
    session: AsyncSession,
    principal: Principal,
    organization_id: str | uuid.UUID | None,
    *,
    field: tuple[str, ...],
    what: str = "organization",
) -> OrgAccess:
    access = await organization_access(
        session, principal, organization_id, Action.SSO_MANAGE, field=field, what=what
    )
    if principal.is_service_account:
        # Who signs in to an organization is a person's decision, never a machine's.
        raise Forbidden("service accounts do not manage single sign-on")
    return access


async def claim_domain(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    *,
    organization_id: str | None,
    domain: str,
) -> SsoDomain:
    """The organization's claim on ``domain`` (a new one, or the one it already has)."""
    access = await manager_access(session, principal, organization_id, field=_ORGANIZATION_FIELD)
    name = normalize_domain(domain)
    if name is None:
        raise UserError(errors.INVALID_DOMAIN, errors.INVALID_DOMAIN_MESSAGE, _DOMAIN_FIELD)
    if is_public(name):
        raise UserError(
            errors.PUBLIC_EMAIL_DOMAIN, errors.PUBLIC_EMAIL_DOMAIN_MESSAGE, _DOMAIN_FIELD
        )
    organization = access.organization_id
    owner = await repo.verified_owner(session, name)
    if owner is not None and owner != organization:
        raise UserError(errors.DOMAIN_TAKEN, errors.DOMAIN_TAKEN_MESSAGE, _DOMAIN_FIELD)
    existing = await repo.claim_of(session, organization, name)
    if existing is not None:
        return existing  # claiming twice is harmless: the same record, the same token
    if await repo.count_domains(session, organization) >= MAX_DOMAINS_PER_ORGANIZATION:
        raise UserError(
            errors.TOO_MANY_DOMAINS,
            f"An organization claims at most {MAX_DOMAINS_PER_ORGANIZATION} domains.",
            _DOMAIN_FIELD,
        )
    claim = SsoDomain(
        id=uuid7(),
        organization_id=organization,
        name=name,
        token=new_token(24),
        created_by_id=principal.user_id,
    )
    try:
        await repo.insert(session, claim)
    except repo.Conflict:
        # A racing twin of this very request: answer its claim.
        twin = await repo.claim_of(session, organization, name)
        if twin is None:
            raise
        return twin
    await record_by(
        session,
        principal,
        meta,
        "sso.domain_claimed",
        target=("sso_domain", claim.id),
        organization_id=organization,
        details={"domain": name},
    )
    return claim


async def _claim_for_manager(session: AsyncSession, principal: Principal, raw_id: str) -> SsoDomain:
    """The claimed domain named by the client once the caller may manage its organization;
    another tenant's is exactly as missing as one that never existed."""
    domain_id = parse_id(raw_id, "domain", _ID_FIELD)
    claim = await repo.get_domain(session, domain_id)
    if claim is None:
        raise NotFound("domain", _ID_FIELD)
    await manager_access(session, principal, claim.organization_id, field=_ID_FIELD, what="domain")
    return claim


async def verify_domain(
    deps: StoreDeps, principal: Principal, meta: RequestMeta, *, domain_id: str
) -> SsoDomain:
    """Look the TXT record up (outside any transaction: DNS may take seconds) and, when it
    carries the token, mark the domain verified. Already verified: answered as it is."""
    settings = deps.settings
    async with deps.db.read_session() as session:
        claim = await _claim_for_manager(session, principal, domain_id)
    if claim.verified_at is not None:
        return claim
    try:
        found = await txt_records(
            txt_record_name(claim),
            server=settings.dns_resolver,
            lifetime=settings.dns_timeout_seconds,
        )
    except DnsUnavailable:
        raise UserError(errors.DNS_UNAVAILABLE, errors.DNS_UNAVAILABLE_MESSAGE, _ID_FIELD) from None
    expected = txt_record_value(claim)
    if expected not in (value.strip() for value in found):
        raise UserError(
            errors.TXT_RECORD_NOT_FOUND,
            f"No TXT record {txt_record_name(claim)} with the value {expected} was found. "
            "DNS changes can take a while to appear: try again in a few minutes.",
            _ID_FIELD,
        )
    async with deps.db.unit_of_work() as session:
        locked = await repo.lock_domain(session, claim.id)
        if locked is None:  # the organization was deleted in between
            raise NotFound("domain", _ID_FIELD)
        if locked.verified_at is not None:
            return locked
        owner = await repo.verified_owner(session, locked.name)
        if owner is not None and owner != locked.organization_id:
            raise UserError(errors.DOMAIN_TAKEN, errors.DOMAIN_TAKEN_MESSAGE, _ID_FIELD)
        try:
            await repo.mark_verified(session, locked, utcnow())
        except repo.Conflict:
            raise UserError(errors.DOMAIN_TAKEN, errors.DOMAIN_TAKEN_MESSAGE, _ID_FIELD) from None
        await record_by(
            session,
            principal,
            meta,
            "sso.domain_verified",
            target=("sso_domain", locked.id),
            organization_id=locked.organization_id,
            details={"domain": locked.name},
        )
        return locked


async def remove_domain(
    session: AsyncSession, principal: Principal, meta: RequestMeta, *, domain_id: str
) -> uuid.UUID:
    """Forget the claim (verified or not): from now on its addresses sign in with a password
    again, and another organization may verify the name. Answers the removed claim's id."""
    claim = await _claim_for_manager(session, principal, domain_id)
    locked = await repo.lock_domain(session, claim.id)
    if locked is None:  # a racing twin removed it first
        raise NotFound("domain", _ID_FIELD)
    await repo.delete_domain(session, locked)
    await record_by(
        session,
        principal,
        meta,
        "sso.domain_removed",
        target=("sso_domain", locked.id),
        organization_id=locked.organization_id,
        details={"domain": locked.name, "verified": locked.verified_at is not None},
    )
    return locked.id


async def list_domains(
    session: AsyncSession, principal: Principal, *, organization_id: str | uuid.UUID | None
) -> list[SsoDomain]:
    access = await manager_access(session, principal, organization_id, field=("organizationId",))
    return await repo.list_domains(session, access.organization_id)
