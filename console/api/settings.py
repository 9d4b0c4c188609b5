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
    passkeys: list["SettingsViewerPasskeys"]
    details: "SettingsViewerDetails"


class SettingsViewerPasskeys(BaseModel):
    id: str


class SettingsViewerDetails(BaseModel):
    id: str
    name: str
    type_: OrganizationType = Field(alias="type")
    country: str
    address: Optional[str]
    phone: Optional[str]
    require_two_factor: bool = Field(alias="requireTwoFactor")
    require_passkey: bool = Field(alias="requirePasskey")


Settings.model_rebuild()
SettingsViewer.model_rebuild()
