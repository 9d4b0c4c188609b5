from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DeclineInvitation(BaseModel):
    decline_invitation: "DeclineInvitationDeclineInvitation" = Field(
        alias="declineInvitation"
    )


class DeclineInvitationDeclineInvitation(BaseModel):
    user_errors: list["DeclineInvitationDeclineInvitationUserErrors"] = Field(
        alias="userErrors"
    )


DeclineInvitationDeclineInvitationUserErrors = Problem
DeclineInvitation.model_rebuild()
DeclineInvitationDeclineInvitation.model_rebuild()
