from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Role


class Account(BaseModel):
    viewer: "AccountViewer"
    my_invitations: list["AccountMyInvitations"] = Field(alias="myInvitations")


class AccountViewer(BaseModel):
    totp_enabled: bool = Field(alias="totpEnabled")
    user: "AccountViewerUser"


class AccountViewerUser(BaseModel):
    id: str
    email: str
    first_name: str = Field(alias="firstName")
    last_name: str = Field(alias="lastName")


class AccountMyInvitations(BaseModel):
    id: str
    role: Role
    expires_at: datetime = Field(alias="expiresAt")
    organization: "AccountMyInvitationsOrganization"
    invited_by: Optional["AccountMyInvitationsInvitedBy"] = Field(alias="invitedBy")


class AccountMyInvitationsOrganization(BaseModel):
    name: str


class AccountMyInvitationsInvitedBy(BaseModel):
    display_name: str = Field(alias="displayName")
    email: str


Account.model_rebuild()
AccountViewer.model_rebuild()
AccountMyInvitations.model_rebuild()
