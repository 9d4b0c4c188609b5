"""The API's OAuth scopes: what a token may do in GraphQL, whatever its user's role allows.

A token reaches a field only when it holds the field's scope *and* the role allows the action
(domain/authz/policy.py): scopes narrow a role, never widen it. Which field needs which scope is
declared in one table (schema/scopes.py); what each scope is called on the consent page is in
identity/pages/consent.py.

First-party clients (registered by the operator) get every API scope without asking; third-party
clients get only what the user consented to, and never the scopes in ``FIRST_PARTY_ONLY``.
"""

from __future__ import annotations

from enum import StrEnum


class ApiScope(StrEnum):
    # Your account, your organizations and your role in each (viewer, landing, app tiles).
    ORGANIZATIONS_READ = "organizations:read"
    # Organization settings, leaving, deleting, handing over the Super Admin role.
    ORGANIZATIONS_WRITE = "organizations:write"
    # Locations, areas and devices.
    DEVICES_READ = "devices:read"
    DEVICES_WRITE = "devices:write"
    LICENSES_READ = "licenses:read"
    LICENSES_WRITE = "licenses:write"
    # Members and invitations.
    MEMBERS_READ = "members:read"
    MEMBERS_WRITE = "members:write"
    # The support partner, partner invitations, managed customers and their technicians.
    PARTNERS_READ = "partners:read"
    PARTNERS_WRITE = "partners:write"
    AUDIT_READ = "audit:read"
    # The signed-in user's own two-factor login.
    ACCOUNT_SECURITY = "account:security"
    # Internal admins' platform operations.
    PLATFORM_ADMIN = "platform:admin"


API_SCOPES: frozenset[str] = frozenset(s.value for s in ApiScope)
# Too powerful to hand to another company's application: a third-party client is never
# registered for these, so it cannot even ask.
FIRST_PARTY_ONLY: frozenset[str] = frozenset(
    {ApiScope.ACCOUNT_SECURITY.value, ApiScope.PLATFORM_ADMIN.value}
)
THIRD_PARTY_API_SCOPES: tuple[str, ...] = tuple(
    s.value for s in ApiScope if s.value not in FIRST_PARTY_ONLY
)
