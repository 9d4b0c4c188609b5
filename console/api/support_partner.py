from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerAccessScope, PartnerMappingStatus


class SupportPartner(BaseModel):
    support_partner: Optional["SupportPartnerSupportPartner"] = Field(
        alias="supportPartner"
    )


class SupportPartnerSupportPartner(BaseModel):
    id: str
    status: PartnerMappingStatus
    partner_name: str = Field(alias="partnerName")
    invited_at: datetime = Field(alias="invitedAt")
    since: Optional[datetime]
    access_scope: PartnerAccessScope = Field(alias="accessScope")
    access_expires_at: datetime = Field(alias="accessExpiresAt")
    access_expired: bool = Field(alias="accessExpired")
    pending_extension: Optional["SupportPartnerSupportPartnerPendingExtension"] = Field(
        alias="pendingExtension"
    )


class SupportPartnerSupportPartnerPendingExtension(BaseModel):
    requested_until: datetime = Field(alias="requestedUntil")
    requested_at: datetime = Field(alias="requestedAt")


SupportPartner.model_rebuild()
SupportPartnerSupportPartner.model_rebuild()
