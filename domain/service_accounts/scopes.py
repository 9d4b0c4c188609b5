"""What a service account's token may do in GraphQL: the API scopes its role can use.

A token's scopes narrow its role (domain/authz/api_scopes.py); a service account holds the scopes
its role has any use for, never a person's own (``account:security``) nor the platform's.
"""

from __future__ import annotations

from domain.authz.api_scopes import ApiScope
from domain.enums import Role

_READ = (
    ApiScope.ORGANIZATIONS_READ,
    ApiScope.DEVICES_READ,
    ApiScope.LICENSES_READ,
    ApiScope.MEMBERS_READ,
    ApiScope.PARTNERS_READ,
)
_WRITE = (
    ApiScope.ORGANIZATIONS_WRITE,
    ApiScope.DEVICES_WRITE,
    ApiScope.LICENSES_WRITE,
    ApiScope.MEMBERS_WRITE,
    ApiScope.PARTNERS_WRITE,
    ApiScope.AUDIT_READ,
)

ROLE_SCOPES: dict[Role, tuple[str, ...]] = {
    Role.USER: tuple(s.value for s in _READ),
    Role.ADMIN: tuple(s.value for s in (*_READ, *_WRITE)),
}


def scopes_for(role: Role) -> tuple[str, ...]:
    return ROLE_SCOPES.get(role, ())


def granted_scope(role: Role, requested: str | None) -> str:
    """The scope of a token: what was asked for (RFC 6749 §4.4.2) within the role's, or all of
    the role's when nothing was asked; unknown values are ignored, as for every client."""
    allowed = scopes_for(role)
    if not requested:
        return " ".join(allowed)
    wanted = requested.split()
    return " ".join(s for s in allowed if s in wanted)
