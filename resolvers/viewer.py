from __future__ import annotations

import strawberry

from domain.enums import Role
from domain.partners.access import technician_grant
from resolvers.context import context_of
from schema.errors import forbidden
from schema.types.organization import Organization
from schema.types.user import User
from schema.types.viewer import TechnicianAccess, Viewer


async def viewer(info: strawberry.Info) -> Viewer:
    ctx = context_of(info)
    principal = await ctx.principal()
    working = principal.working_access
    if working is None:
        # A valid account with no usable organization (all suspended): nothing to work in.
        raise forbidden()
    user = await ctx.loaders.user_by_id.load(principal.user_id)
    organizations = await ctx.loaders.organization_by_id.load_many(list(principal.access))
    by_id = {org.id: org for org in organizations if org is not None}
    assert user is not None
    technician = None
    if working.role is Role.TECHNICIAN and working.via_mapping_id is not None:
        async with ctx.services.db.read_session() as session:
            grant = await technician_grant(session, working.via_mapping_id)
        if grant is not None:
            technician = TechnicianAccess(
                partner_name=grant.partner_name,
                partner_id=strawberry.ID(str(grant.partner_id)),
                scope=grant.scope,
                expires_at=grant.expires_at,
            )
    return Viewer(
        user=User.from_row(user),
        organization=Organization.from_row(by_id[working.organization_id]),
        role=working.role,
        organizations=[Organization.from_row(by_id[i]) for i in principal.access if i in by_id],
        technician_access=technician,
        totp_enabled=user.totp_enabled_at is not None,
    )


@strawberry.type
class ViewerQuery:
    viewer: Viewer = strawberry.field(resolver=viewer, description="Requires a bearer token.")
