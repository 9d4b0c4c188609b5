from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RemoveMember(BaseModel):
    remove_member: "RemoveMemberRemoveMember" = Field(alias="removeMember")


class RemoveMemberRemoveMember(BaseModel):
    user_errors: list["RemoveMemberRemoveMemberUserErrors"] = Field(alias="userErrors")


RemoveMemberRemoveMemberUserErrors = Problem
RemoveMember.model_rebuild()
RemoveMemberRemoveMember.model_rebuild()
