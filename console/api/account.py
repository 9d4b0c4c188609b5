from datetime import datetime
from typing import Literal, Optional, Union

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
    landing: Union[
        "AccountLandingCustomerLanding",
        "AccountLandingPartnerLanding",
        "AccountLandingAdminLanding",
    ] = Field(discriminator="typename__")


class AccountViewer(PageFrame):
    totp_enabled: bool = Field(alias="totpEnabled")
    profile: "AccountViewerProfile"
    passkeys: list["AccountViewerPasskeys"]
    sessions: list["AccountViewerSessions"]


class AccountViewerProfile(BaseModel):
    id: str
    email: str
    first_name: str = Field(alias="firstName")
    last_name: str = Field(alias="lastName")


class AccountViewerPasskeys(BaseModel):
    id: str
    name: str
    created_at: datetime = Field(alias="createdAt")
    last_used_at: Optional[datetime] = Field(alias="lastUsedAt")
    synced: bool


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


class AccountLandingCustomerLanding(BaseModel):
    typename__: Literal["CustomerLanding"] = Field(alias="__typename")


class AccountLandingPartnerLanding(BaseModel):
    typename__: Literal["PartnerLanding"] = Field(alias="__typename")


class AccountLandingAdminLanding(BaseModel):
    typename__: Literal["AdminLanding"] = Field(alias="__typename")
    notification_settings: "AccountLandingAdminLandingNotificationSettings" = Field(
        alias="notificationSettings"
    )


class AccountLandingAdminLandingNotificationSettings(BaseModel):
    partner_request_mail: bool = Field(alias="partnerRequestMail")


Account.model_rebuild()
AccountViewer.model_rebuild()
AccountMyInvitations.model_rebuild()
AccountLandingAdminLanding.model_rebuild()
