from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class CancelInvitation(BaseModel):
    cancel_invitation: "CancelInvitationCancelInvitation" = Field(
        alias="cancelInvitation"
    )


class CancelInvitationCancelInvitation(BaseModel):
    user_errors: list["CancelInvitationCancelInvitationUserErrors"] = Field(
        alias="userErrors"
    )


CancelInvitationCancelInvitationUserErrors = Problem
CancelInvitation.model_rebuild()
CancelInvitationCancelInvitation.model_rebuild()
