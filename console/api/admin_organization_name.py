from typing import Optional

from .base_model import BaseModel
from .enums import OrganizationStatus
from .fragments import PageFrame


class AdminOrganizationName(BaseModel):
    viewer: "AdminOrganizationNameViewer"
    organization: Optional["AdminOrganizationNameOrganization"]


AdminOrganizationNameViewer = PageFrame


class AdminOrganizationNameOrganization(BaseModel):
    id: str
    name: str
    status: OrganizationStatus


AdminOrganizationName.model_rebuild()
