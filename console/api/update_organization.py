from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class UpdateOrganization(BaseModel):
    update_organization: "UpdateOrganizationUpdateOrganization" = Field(
        alias="updateOrganization"
    )


class UpdateOrganizationUpdateOrganization(BaseModel):
    user_errors: list["UpdateOrganizationUpdateOrganizationUserErrors"] = Field(
        alias="userErrors"
    )


UpdateOrganizationUpdateOrganizationUserErrors = Problem
UpdateOrganization.model_rebuild()
UpdateOrganizationUpdateOrganization.model_rebuild()
