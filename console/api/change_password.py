from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ChangePassword(BaseModel):
    change_password: "ChangePasswordChangePassword" = Field(alias="changePassword")


class ChangePasswordChangePassword(BaseModel):
    changed: bool
    user_errors: list["ChangePasswordChangePasswordUserErrors"] = Field(
        alias="userErrors"
    )


ChangePasswordChangePasswordUserErrors = Problem
ChangePassword.model_rebuild()
ChangePasswordChangePassword.model_rebuild()
