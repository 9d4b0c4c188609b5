from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class AcceptPartnerInvitation(BaseModel):
    accept_partner_invitation: "AcceptPartnerInvitationAcceptPartnerInvitation" = Field(
        alias="acceptPartnerInvitation"
    )


class AcceptPartnerInvitationAcceptPartnerInvitation(BaseModel):
    partner_mapping: Optional[
        "AcceptPartnerInvitationAcceptPartnerInvitationPartnerMapping"
    ] = Field(alias="partnerMapping")
    user_errors: list["AcceptPartnerInvitationAcceptPartnerInvitationUserErrors"] = (
        Field(alias="userErrors")
    )


class AcceptPartnerInvitationAcceptPartnerInvitationPartnerMapping(BaseModel):
    customer: "AcceptPartnerInvitationAcceptPartnerInvitationPartnerMappingCustomer"


class AcceptPartnerInvitationAcceptPartnerInvitationPartnerMappingCustomer(BaseModel):
    name: str


AcceptPartnerInvitationAcceptPartnerInvitationUserErrors = Problem
AcceptPartnerInvitation.model_rebuild()
AcceptPartnerInvitationAcceptPartnerInvitation.model_rebuild()
AcceptPartnerInvitationAcceptPartnerInvitationPartnerMapping.model_rebuild()
