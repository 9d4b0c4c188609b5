from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import OrganizationType, Role


class Settings(BaseModel):
    viewer: "SettingsViewer"


class SettingsViewer(BaseModel):
    role: Role
    totp_enabled: bool = Field(alias="totpEnabled")
    passkeys: list["SettingsViewerPasskeys"]
    organization: "SettingsViewerOrganization"


class SettingsViewerPasskeys(BaseModel):
    id: str


class SettingsViewerOrganization(BaseModel):
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
