from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationType, PartnerAccessScope, Role


class Frame(BaseModel):
    viewer: "FrameViewer"


class FrameViewer(BaseModel):
    role: Role
    user: "FrameViewerUser"
    organization: "FrameViewerOrganization"
    organizations: list["FrameViewerOrganizations"]
    technician_access: Optional["FrameViewerTechnicianAccess"] = Field(
        alias="technicianAccess"
    )


class FrameViewerUser(BaseModel):
    email: str
    display_name: str = Field(alias="displayName")


class FrameViewerOrganization(BaseModel):
    id: str
    name: str
    type_: OrganizationType = Field(alias="type")


class FrameViewerOrganizations(BaseModel):
    id: str
    name: str
    type_: OrganizationType = Field(alias="type")


class FrameViewerTechnicianAccess(BaseModel):
    partner_id: str = Field(alias="partnerId")
    partner_name: str = Field(alias="partnerName")
    scope: PartnerAccessScope
    expires_at: datetime = Field(alias="expiresAt")


Frame.model_rebuild()
FrameViewer.model_rebuild()
