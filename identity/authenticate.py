"""From an ``Authorization: Bearer`` header to a Principal, for GraphQL.

The token proves who; the database says what they may reach *now* (domain.authz.repository), so a
disabled user or an ended mapping is noticed on the very next request.
"""

from __future__ import annotations

import uuid

from domain.authz.principal import OrgAccess, Principal
from domain.authz.repository import load_active_user
from domain.errors import Forbidden, Unauthenticated
from domain.service_accounts import repository as service_accounts
from identity.access_tokens import AccessTokenClaims, InvalidAccessToken, verify_access_token
from kit.ids import parse_uuid
from runtime import Services

ORGANIZATION_HEADER = "x-organization-id"


def bearer_token(authorization: str | None) -> str | None:
    if not authorization:
        return None
    scheme, _, value = authorization.partition(" ")
    if scheme.lower() != "bearer" or not value.strip():
        return None
    return value.strip()


def parse_organization_id(raw: str | None) -> uuid.UUID | None:
    if raw is None or raw == "":
        return None
    parsed = parse_uuid(raw)
    if parsed is None:
        raise Forbidden("organization")
    return parsed


def _grant_id(sid: str | None) -> uuid.UUID | None:
    if sid is None:
        return None
    try:
        return uuid.UUID(sid)
    except ValueError as exc:
        raise Unauthenticated() from exc


async def authenticate(
    services: Services, authorization: str | None, organization_hint: str | None = None
) -> Principal:
    """The principal of a request, or ``Unauthenticated``/``Forbidden``."""
    token = bearer_token(authorization)
    if token is None:
        raise Unauthenticated()
    settings = services.settings
    try:
        claims = await verify_access_token(
            services.keys, token, issuer=settings.issuer, audience=settings.api_audience
        )
    except InvalidAccessToken as exc:
        raise Unauthenticated() from exc
    if claims.service_account:
        return await _service_account_principal(services, claims, organization_hint)
    # Every token the provider issues to a person names its grant in ``sid``: a revoked grant (revocation,
    # logout, a replayed code or refresh token) refuses the token here, before its ``exp``.
    grant_id = _grant_id(claims.session_id)
    async with services.db.single_read() as connection:
        user = await load_active_user(connection, claims.subject, grant_id)
    if user is None:
        raise Unauthenticated()
    if claims.security_stamp is not None and claims.security_stamp != user.security_stamp:
        raise Unauthenticated()
    access = user.access
    by_org = {a.organization_id: a for a in access}
    requested = parse_organization_id(organization_hint)
    if requested is not None and requested not in by_org:
        raise Forbidden("organization")
    working = (
        requested if requested is not None else (access[0].organization_id if access else None)
    )
    return Principal(
        user_id=user.id,
        email=user.email,
        access=by_org,
        working_organization_id=working,
        client_id=claims.client_id,
        scopes=claims.scopes,
        grant_id=grant_id,
    )


async def _service_account_principal(
    services: Services, claims: AccessTokenClaims, organization_hint: str | None
) -> Principal:
    """A service account acts in its one organization with its role, read fresh: a revoked
    account or a rotated secret (``ssv``) is UNAUTHENTICATED; a suspended or deleted
    organization leaves it no access (FORBIDDEN, as for its people) until reactivated."""
    async with services.db.single_read() as connection:
        acting = await service_accounts.acting(connection, claims.subject)
    if acting is None or claims.security_stamp != acting.secret_version:
        raise Unauthenticated()
    if acting.client_id != claims.client_id:
        raise Unauthenticated()
    access = (
        {
            acting.organization_id: OrgAccess(
                acting.organization_id, acting.organization_type, acting.role
            )
        }
        if acting.usable
        else {}
    )
    requested = parse_organization_id(organization_hint)
    if requested is not None and requested not in access:
        raise Forbidden("organization")
    return Principal(
        user_id=acting.user_id,
        email=acting.email,
        access=access,
        working_organization_id=acting.organization_id if access else None,
        client_id=claims.client_id,
        scopes=claims.scopes,
        grant_id=None,
        service_account_id=claims.subject,
    )
