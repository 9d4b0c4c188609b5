from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ResendInvitation(BaseModel):
    resend_invitation: "ResendInvitationResendInvitation" = Field(
        alias="resendInvitation"
    )


class ResendInvitationResendInvitation(BaseModel):
    user_errors: list["ResendInvitationResendInvitationUserErrors"] = Field(
        alias="userErrors"
    )


ResendInvitationResendInvitationUserErrors = Problem
ResendInvitation.model_rebuild()
ResendInvitationResendInvitation.model_rebuild()
