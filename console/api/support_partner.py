from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerAccessScope, PartnerMappingStatus
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class SupportPartner(BaseModel):
    viewer: "SupportPartnerViewer"


class SupportPartnerViewer(PageFrame):
    working: "SupportPartnerViewerWorking"


class SupportPartnerViewerWorking(BaseModel):
    support_partner: Optional["SupportPartnerViewerWorkingSupportPartner"] = Field(
        alias="supportPartner"
    )


class SupportPartnerViewerWorkingSupportPartner(BaseModel):
    id: str
    status: PartnerMappingStatus
    partner_name: str = Field(alias="partnerName")
    invited_at: datetime = Field(alias="invitedAt")
    since: Optional[datetime]
    access_scope: PartnerAccessScope = Field(alias="accessScope")
    access_expires_at: datetime = Field(alias="accessExpiresAt")
    access_expired: bool = Field(alias="accessExpired")
    pending_extension: Optional[
        "SupportPartnerViewerWorkingSupportPartnerPendingExtension"
    ] = Field(alias="pendingExtension")
    technicians: "SupportPartnerViewerWorkingSupportPartnerTechnicians"


class SupportPartnerViewerWorkingSupportPartnerPendingExtension(BaseModel):
    requested_until: datetime = Field(alias="requestedUntil")
    requested_at: datetime = Field(alias="requestedAt")


class SupportPartnerViewerWorkingSupportPartnerTechnicians(BaseModel):
    edges: list["SupportPartnerViewerWorkingSupportPartnerTechniciansEdges"]


class SupportPartnerViewerWorkingSupportPartnerTechniciansEdges(BaseModel):
    node: "SupportPartnerViewerWorkingSupportPartnerTechniciansEdgesNode"


class SupportPartnerViewerWorkingSupportPartnerTechniciansEdgesNode(BaseModel):
    id: str
    role_label: str = Field(alias="roleLabel")
    assigned_at: datetime = Field(alias="assignedAt")
    user: "SupportPartnerViewerWorkingSupportPartnerTechniciansEdgesNodeUser"


class SupportPartnerViewerWorkingSupportPartnerTechniciansEdgesNodeUser(BaseModel):
    display_name: str = Field(alias="displayName")
    email: str


SupportPartner.model_rebuild()
SupportPartnerViewer.model_rebuild()
SupportPartnerViewerWorking.model_rebuild()
SupportPartnerViewerWorkingSupportPartner.model_rebuild()
SupportPartnerViewerWorkingSupportPartnerTechnicians.model_rebuild()
SupportPartnerViewerWorkingSupportPartnerTechniciansEdges.model_rebuild()
SupportPartnerViewerWorkingSupportPartnerTechniciansEdgesNode.model_rebuild()
