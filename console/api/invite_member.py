from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class InviteMember(BaseModel):
    invite_member: "InviteMemberInviteMember" = Field(alias="inviteMember")


class InviteMemberInviteMember(BaseModel):
    user_errors: list["InviteMemberInviteMemberUserErrors"] = Field(alias="userErrors")


InviteMemberInviteMemberUserErrors = Problem
InviteMember.model_rebuild()
InviteMemberInviteMember.model_rebuild()
