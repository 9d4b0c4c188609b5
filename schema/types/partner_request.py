from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from db.models import PartnerRequest as PartnerRequestRow
from kit.pagination import Page
from resolvers.context import context_of
from schema.enums import PartnerRequestStatus
from schema.relay import Edge, PageInfo, build_edges
from schema.types.organization import Organization


async def _organization(root: PartnerRequest, info: strawberry.Info) -> Organization | None:
    if root.organization_id is None:
        return None
    row = await context_of(info).loaders.organization_by_id.load(root.organization_id)
    return Organization.from_row(row) if row is not None else None


@strawberry.type(name="PartnerRequest", description='A "Join as a STEP Partner" request.')
class PartnerRequest:
    id: strawberry.ID
    status: PartnerRequestStatus
    step_partner_code: str
    company_name: str
    country: str
    address: str | None
    phone: str | None
    contact_email: str = strawberry.field(description="The future Partner Super Admin's email.")
    contact_first_name: str
    contact_last_name: str
    created_at: datetime
    reviewed_at: datetime | None
    reason: str | None = strawberry.field(description="Why it was rejected.")
    organization_id: strawberry.Private[uuid.UUID | None]
    organization: Organization | None = strawberry.field(
        resolver=_organization,
        description="The partner organization an approval created.",
    )

    @classmethod
    def from_row(cls, row: PartnerRequestRow) -> PartnerRequest:
        return cls(
            id=strawberry.ID(str(row.id)),
            status=row.status,
            step_partner_code=row.step_partner_code,
            company_name=row.company_name,
            country=row.country,
            address=row.address,
            phone=row.phone,
            contact_email=row.contact_email,
            contact_first_name=row.first_name,
            contact_last_name=row.last_name,
            created_at=row.created_at,
            reviewed_at=row.reviewed_at,
            reason=row.reason,
            organization_id=row.organization_id,
        )


@strawberry.type(name="PartnerRequestConnection")
class PartnerRequestConnection:
    edges: list[Edge[PartnerRequest]]
    page_info: PageInfo

    @classmethod
    def from_page(cls, page: Page[PartnerRequestRow]) -> PartnerRequestConnection:
        edges, info = build_edges(page, PartnerRequest.from_row)
        return cls(edges=edges, page_info=info)
