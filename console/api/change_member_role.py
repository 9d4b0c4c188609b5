from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ChangeMemberRole(BaseModel):
    change_member_role: "ChangeMemberRoleChangeMemberRole" = Field(
        alias="changeMemberRole"
    )


class ChangeMemberRoleChangeMemberRole(BaseModel):
    member: Optional["ChangeMemberRoleChangeMemberRoleMember"]
    user_errors: list["ChangeMemberRoleChangeMemberRoleUserErrors"] = Field(
        alias="userErrors"
    )


class ChangeMemberRoleChangeMemberRoleMember(BaseModel):
    provisioned: bool


ChangeMemberRoleChangeMemberRoleUserErrors = Problem
ChangeMemberRole.model_rebuild()
ChangeMemberRoleChangeMemberRole.model_rebuild()
