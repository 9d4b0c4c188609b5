from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerAccessScope
from .fragments import PageFrame


class PartnerInvitations(BaseModel):
    viewer: "PartnerInvitationsViewer"
    partner_invitations: "PartnerInvitationsPartnerInvitations" = Field(
        alias="partnerInvitations"
    )


PartnerInvitationsViewer = PageFrame


class PartnerInvitationsPartnerInvitations(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "PartnerInvitationsPartnerInvitationsPageInfo" = Field(alias="pageInfo")
    edges: list["PartnerInvitationsPartnerInvitationsEdges"]


class PartnerInvitationsPartnerInvitationsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class PartnerInvitationsPartnerInvitationsEdges(BaseModel):
    node: "PartnerInvitationsPartnerInvitationsEdgesNode"


class PartnerInvitationsPartnerInvitationsEdgesNode(BaseModel):
    id: str
    invited_at: datetime = Field(alias="invitedAt")
    access_scope: PartnerAccessScope = Field(alias="accessScope")
    access_expires_at: datetime = Field(alias="accessExpiresAt")
    customer: "PartnerInvitationsPartnerInvitationsEdgesNodeCustomer"


class PartnerInvitationsPartnerInvitationsEdgesNodeCustomer(BaseModel):
    id: str
    name: str
    country: str


PartnerInvitations.model_rebuild()
PartnerInvitationsPartnerInvitations.model_rebuild()
PartnerInvitationsPartnerInvitationsEdges.model_rebuild()
PartnerInvitationsPartnerInvitationsEdgesNode.model_rebuild()
