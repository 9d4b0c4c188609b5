from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DeclinePartnerInvitation(BaseModel):
    decline_partner_invitation: "DeclinePartnerInvitationDeclinePartnerInvitation" = (
        Field(alias="declinePartnerInvitation")
    )


class DeclinePartnerInvitationDeclinePartnerInvitation(BaseModel):
    partner_mapping: Optional[
        "DeclinePartnerInvitationDeclinePartnerInvitationPartnerMapping"
    ] = Field(alias="partnerMapping")
    user_errors: list["DeclinePartnerInvitationDeclinePartnerInvitationUserErrors"] = (
        Field(alias="userErrors")
    )


class DeclinePartnerInvitationDeclinePartnerInvitationPartnerMapping(BaseModel):
    customer: "DeclinePartnerInvitationDeclinePartnerInvitationPartnerMappingCustomer"


class DeclinePartnerInvitationDeclinePartnerInvitationPartnerMappingCustomer(BaseModel):
    name: str


DeclinePartnerInvitationDeclinePartnerInvitationUserErrors = Problem
DeclinePartnerInvitation.model_rebuild()
DeclinePartnerInvitationDeclinePartnerInvitation.model_rebuild()
DeclinePartnerInvitationDeclinePartnerInvitationPartnerMapping.model_rebuild()
