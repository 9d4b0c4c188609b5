from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationType, Role


class Frame(BaseModel):
    viewer: "FrameViewer"


class FrameViewer(BaseModel):
    role: Role
    user: "FrameViewerUser"
    organization: "FrameViewerOrganization"
    organizations: list["FrameViewerOrganizations"]


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


Frame.model_rebuild()
FrameViewer.model_rebuild()
