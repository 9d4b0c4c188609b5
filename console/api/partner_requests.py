from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class PartnerRequests(BaseModel):
    partner_requests: "PartnerRequestsPartnerRequests" = Field(alias="partnerRequests")


class PartnerRequestsPartnerRequests(BaseModel):
    page_info: "PartnerRequestsPartnerRequestsPageInfo" = Field(alias="pageInfo")
    edges: list["PartnerRequestsPartnerRequestsEdges"]


class PartnerRequestsPartnerRequestsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class PartnerRequestsPartnerRequestsEdges(BaseModel):
    node: "PartnerRequestsPartnerRequestsEdgesNode"


class PartnerRequestsPartnerRequestsEdgesNode(BaseModel):
    id: str
    step_partner_code: str = Field(alias="stepPartnerCode")
    company_name: str = Field(alias="companyName")
    country: str
    contact_email: str = Field(alias="contactEmail")
    contact_first_name: str = Field(alias="contactFirstName")
    contact_last_name: str = Field(alias="contactLastName")
    created_at: datetime = Field(alias="createdAt")


PartnerRequests.model_rebuild()
PartnerRequestsPartnerRequests.model_rebuild()
PartnerRequestsPartnerRequestsEdges.model_rebuild()
