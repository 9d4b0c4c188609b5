"""Which organization a request acts in, and whether the principal may act there.

GraphQL queries act in the viewer's working organization unless they name another with an
``organizationId`` argument; mutations name it in their input. Either way the answer goes through
``policy.require``: an organization the principal has no path to — or one that does not exist, or
an id that is not even a UUID — raises the same ``NotFound``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from domain.authz import repository
from domain.authz.policy import Action, require
from domain.authz.principal import OrgAccess, Principal
from domain.errors import Forbidden, NotFound
from kit.ids import parse_uuid


def parse_id(
    raw: str | uuid.UUID | None, what: str, field: Sequence[str] | None = None
) -> uuid.UUID:
    """A client-supplied id; anything that is not a UUID is simply a missing object."""
    if isinstance(raw, uuid.UUID):
        return raw
    parsed = parse_uuid(raw) if isinstance(raw, str) else None
    if parsed is None:
        raise NotFound(what, field)
    return parsed


async def organization_access(
    session: AsyncSession,
    principal: Principal,
    organization_id: str | uuid.UUID | None,
    action: Action,
    *,
    field: Sequence[str] | None = None,
    what: str = "organization",
) -> OrgAccess:
    """The principal's access to the named (or else the working) organization for ``action``.

    Without a path it raises ``NotFound(what, field)``: when the organization is that of an object
    the client named by id, pass the object's ``what`` and ``field`` so that the answer is exactly
    the one for a missing object.
    """
    if organization_id is None:
        if principal.working_organization_id is None:
            raise NotFound("organization", field)
        org_id = principal.working_organization_id
    else:
        org_id = parse_id(organization_id, "organization", field)
    organization_type = None
    if org_id not in principal.access and principal.is_internal_admin:
        # Internal admins reach some actions in any organization; the type decides which.
        organization_type = await repository.get_organization_type(session, org_id)
    try:
        return require(principal, org_id, action, organization_type=organization_type)
    except NotFound:
        raise NotFound(what, field) from None


async def can_read(session: AsyncSession, principal: Principal, organization_id: uuid.UUID) -> bool:
    """Whether the principal may read the organization's data (for single-object queries, which
    answer ``null`` rather than raise)."""
    try:
        await organization_access(session, principal, organization_id, Action.ORGANIZATION_READ)
    except (NotFound, Forbidden):
        return False
    return True
