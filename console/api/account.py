from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import Role
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class Account(BaseModel):
    viewer: "AccountViewer"
    my_invitations: list["AccountMyInvitations"] = Field(alias="myInvitations")


class AccountViewer(PageFrame):
    totp_enabled: bool = Field(alias="totpEnabled")
    profile: "AccountViewerProfile"
    sessions: list["AccountViewerSessions"]


class AccountViewerProfile(BaseModel):
    id: str
    email: str
    first_name: str = Field(alias="firstName")
    last_name: str = Field(alias="lastName")


class AccountViewerSessions(BaseModel):
    id: str
    client_name: str = Field(alias="clientName")
    signed_in_at: datetime = Field(alias="signedInAt")
    last_seen_at: datetime = Field(alias="lastSeenAt")
    client_address: Optional[str] = Field(alias="clientAddress")
    user_agent: Optional[str] = Field(alias="userAgent")
    two_factor: bool = Field(alias="twoFactor")
    current: bool


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
