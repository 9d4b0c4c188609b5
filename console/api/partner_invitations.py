from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerAccessScope
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class PartnerInvitations(BaseModel):
    viewer: "PartnerInvitationsViewer"


class PartnerInvitationsViewer(PageFrame):
    working: "PartnerInvitationsViewerWorking"


class PartnerInvitationsViewerWorking(BaseModel):
    partner_invitations: Optional[
        "PartnerInvitationsViewerWorkingPartnerInvitations"
    ] = Field(alias="partnerInvitations")


class PartnerInvitationsViewerWorkingPartnerInvitations(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "PartnerInvitationsViewerWorkingPartnerInvitationsPageInfo" = Field(
        alias="pageInfo"
    )
    edges: list["PartnerInvitationsViewerWorkingPartnerInvitationsEdges"]


class PartnerInvitationsViewerWorkingPartnerInvitationsPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class PartnerInvitationsViewerWorkingPartnerInvitationsEdges(BaseModel):
    node: "PartnerInvitationsViewerWorkingPartnerInvitationsEdgesNode"


class PartnerInvitationsViewerWorkingPartnerInvitationsEdgesNode(BaseModel):
    id: str
    invited_at: datetime = Field(alias="invitedAt")
    access_scope: PartnerAccessScope = Field(alias="accessScope")
    access_expires_at: datetime = Field(alias="accessExpiresAt")
    customer: "PartnerInvitationsViewerWorkingPartnerInvitationsEdgesNodeCustomer"


class PartnerInvitationsViewerWorkingPartnerInvitationsEdgesNodeCustomer(BaseModel):
    id: str
    name: str
    country: str


PartnerInvitations.model_rebuild()
PartnerInvitationsViewer.model_rebuild()
PartnerInvitationsViewerWorking.model_rebuild()
PartnerInvitationsViewerWorkingPartnerInvitations.model_rebuild()
PartnerInvitationsViewerWorkingPartnerInvitationsEdges.model_rebuild()
PartnerInvitationsViewerWorkingPartnerInvitationsEdgesNode.model_rebuild()
