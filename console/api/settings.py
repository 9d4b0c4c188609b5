from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationType
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class Settings(BaseModel):
    viewer: "SettingsViewer"


class SettingsViewer(PageFrame):
    totp_enabled: bool = Field(alias="totpEnabled")
    details: "SettingsViewerDetails"


class SettingsViewerDetails(BaseModel):
    id: str
    name: str
    type_: OrganizationType = Field(alias="type")
    country: str
    address: Optional[str]
    phone: Optional[str]
    require_two_factor: bool = Field(alias="requireTwoFactor")


Settings.model_rebuild()
SettingsViewer.model_rebuild()
