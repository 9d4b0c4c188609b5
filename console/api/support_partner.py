from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import PartnerMappingStatus


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


SupportPartner.model_rebuild()
