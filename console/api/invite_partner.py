from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class InvitePartner(BaseModel):
    invite_partner: "InvitePartnerInvitePartner" = Field(alias="invitePartner")


class InvitePartnerInvitePartner(BaseModel):
    user_errors: list["InvitePartnerInvitePartnerUserErrors"] = Field(
        alias="userErrors"
    )


InvitePartnerInvitePartnerUserErrors = Problem
InvitePartner.model_rebuild()
InvitePartnerInvitePartner.model_rebuild()
