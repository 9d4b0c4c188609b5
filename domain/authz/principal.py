"""The authenticated actor of a request, with every organization it has a path to."""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from domain.enums import OrganizationType, PartnerAccessScope, Role


@dataclass(frozen=True, slots=True)
class OrgAccess:
    """One path from a user to an organization: a membership, or a technician assignment."""

    organization_id: uuid.UUID
    organization_type: OrganizationType
    role: Role
    # Set for technicians: the partner mapping through which they reach the customer, and which
    # of their powers the customer granted it (domain.authz.policy.SCOPE_ACTIONS).
    via_mapping_id: uuid.UUID | None = None
    partner_scope: PartnerAccessScope | None = None


@dataclass(frozen=True, slots=True)
class Principal:
    user_id: uuid.UUID
    email: str
    # Ordered: the first is the organization joined first (the default working organization).
    access: Mapping[uuid.UUID, OrgAccess] = field(default_factory=dict)
    working_organization_id: uuid.UUID | None = None
    # OAuth client the token was issued to, and its scopes (None for internal/test principals).
    client_id: str | None = None
    scopes: frozenset[str] = frozenset()
    # The grant the token belongs to (its ``sid``): the caller's own session (viewer.sessions).
    grant_id: uuid.UUID | None = None
    # Set when the token is a service account's (client credentials): ``user_id`` is then its
    # backing account and ``access`` its one organization, with its role.
    service_account_id: uuid.UUID | None = None

    @property
    def is_service_account(self) -> bool:
        return self.service_account_id is not None

    @property
    def is_internal_admin(self) -> bool:
        return any(a.role is Role.INTERNAL_ADMIN for a in self.access.values())

    @property
    def working_access(self) -> OrgAccess | None:
        if self.working_organization_id is None:
            return None
        return self.access.get(self.working_organization_id)

    def role_in(self, organization_id: uuid.UUID) -> Role | None:
        access = self.access.get(organization_id)
        return access.role if access else None

    def organization_ids(self, *, kind: OrganizationType | None = None) -> list[uuid.UUID]:
        return [
            a.organization_id
            for a in self.access.values()
            if kind is None or a.organization_type is kind
        ]
