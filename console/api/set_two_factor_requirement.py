from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class SetTwoFactorRequirement(BaseModel):
    set_organization_two_factor_requirement: "SetTwoFactorRequirementSetOrganizationTwoFactorRequirement" = Field(
        alias="setOrganizationTwoFactorRequirement"
    )


class SetTwoFactorRequirementSetOrganizationTwoFactorRequirement(BaseModel):
    user_errors: list[
        "SetTwoFactorRequirementSetOrganizationTwoFactorRequirementUserErrors"
    ] = Field(alias="userErrors")


SetTwoFactorRequirementSetOrganizationTwoFactorRequirementUserErrors = Problem
SetTwoFactorRequirement.model_rebuild()
SetTwoFactorRequirementSetOrganizationTwoFactorRequirement.model_rebuild()
