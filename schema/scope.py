"""Ids from clients, and the organization a request acts in (see ``domain.authz.scope``).

An id that is not a UUID behaves exactly like one that does not exist (``NotFound``). Queries and
creating mutations act in the viewer's working organization unless given ``organizationId``;
mutations on an existing object act in that object's organization.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from domain.authz.principal import Principal
from domain.authz.scope import parse_id
from domain.errors import NotFound


def organization_scope(
    principal: Principal, organization_id: str | None, field: Sequence[str] | None = None
) -> uuid.UUID:
    """The named organization's id, or the working one (checked by the service, not here)."""
    if organization_id is None:
        if principal.working_organization_id is None:
            raise NotFound("organization", field)
        return principal.working_organization_id
    return parse_id(organization_id, "organization", field)


def object_id(raw: str, what: str, field: Sequence[str]) -> uuid.UUID:
    return parse_id(raw, what, field)
