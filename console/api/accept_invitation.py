from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class AcceptInvitation(BaseModel):
    accept_invitation: "AcceptInvitationAcceptInvitation" = Field(
        alias="acceptInvitation"
    )


class AcceptInvitationAcceptInvitation(BaseModel):
    user_errors: list["AcceptInvitationAcceptInvitationUserErrors"] = Field(
        alias="userErrors"
    )


AcceptInvitationAcceptInvitationUserErrors = Problem
AcceptInvitation.model_rebuild()
AcceptInvitationAcceptInvitation.model_rebuild()
