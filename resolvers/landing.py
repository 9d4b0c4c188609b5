"""``landing``: where the viewer lands after signing in, decided by the working organization."""

from __future__ import annotations

import strawberry

from domain.enums import OrganizationType, Role
from schema.context import context_of
from schema.errors import forbidden
from schema.types.landing import AdminLanding, CustomerLanding, Landing, PartnerLanding
from schema.types.organizations import Organization


async def landing(info: strawberry.Info) -> Landing:
    ctx = context_of(info)
    principal = await ctx.principal()
    working = principal.working_access
    if working is None:
        raise forbidden()
    if (
        working.role is Role.INTERNAL_ADMIN
        or working.organization_type is OrganizationType.INTERNAL
    ):
        return AdminLanding()
    row = await ctx.loaders.organization_by_id.load(working.organization_id)
    if row is None:  # removed between authentication and now
        raise forbidden()
    organization = Organization.from_row(row)
    if working.organization_type is OrganizationType.PARTNER:
        return PartnerLanding(organization=organization, organization_id=row.id)
    # A customer organization — for its members and for a partner's technicians alike.
    return CustomerLanding(organization=organization, organization_id=row.id)


@strawberry.type
class LandingQuery:
    landing: Landing = strawberry.field(
        resolver=landing,
        description=(
            "Requires a bearer token. The landing of the working organization: a customer's "
            "app tiles and menu, a partner's customers, or an internal admin's review queue."
        ),
    )
