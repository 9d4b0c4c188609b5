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
    id: strawberry.ID = strawberry.field(description="The request's id.")
    status: PartnerRequestStatus = strawberry.field(
        description="PENDING until an internal admin approves or rejects it."
    )
    step_partner_code: str = strawberry.field(
        description="The STEP partner code the requester gave (normalized, upper case)."
    )
    company_name: str = strawberry.field(
        description="The partner company's name, as the future organization's name."
    )
    country: str = strawberry.field(description="ISO 3166-1 alpha-2 country code, e.g. DE.")
    address: str | None = strawberry.field(description="Postal address as entered, or null.")
    phone: str | None = strawberry.field(description="Phone number as entered, or null.")
    contact_email: str = strawberry.field(description="The future Partner Super Admin's email.")
    contact_first_name: str = strawberry.field(
        description="The future Partner Super Admin's first name."
    )
    contact_last_name: str = strawberry.field(
        description="The future Partner Super Admin's last name."
    )
    created_at: datetime = strawberry.field(description="When the request was submitted.")
    reviewed_at: datetime | None = strawberry.field(
        description="When an internal admin approved or rejected it (null while PENDING)."
    )
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


@strawberry.type(name="PartnerRequestConnection", description="A page of partner requests.")
class PartnerRequestConnection:
    edges: list[Edge[PartnerRequest]] = strawberry.field(
        description="The items of this page, each with its cursor."
    )
    page_info: PageInfo = strawberry.field(
        description="Whether more items follow, and the cursors to page on."
    )

    @classmethod
    def from_page(cls, page: Page[PartnerRequestRow]) -> PartnerRequestConnection:
        edges, info = build_edges(page, PartnerRequest.from_row)
        return cls(edges=edges, page_info=info)
