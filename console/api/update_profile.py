from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class UpdateProfile(BaseModel):
    update_profile: "UpdateProfileUpdateProfile" = Field(alias="updateProfile")


class UpdateProfileUpdateProfile(BaseModel):
    user_errors: list["UpdateProfileUpdateProfileUserErrors"] = Field(
        alias="userErrors"
    )


UpdateProfileUpdateProfileUserErrors = Problem
UpdateProfile.model_rebuild()
UpdateProfileUpdateProfile.model_rebuild()
