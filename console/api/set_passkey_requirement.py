from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class SetPasskeyRequirement(BaseModel):
    set_organization_passkey_requirement: "SetPasskeyRequirementSetOrganizationPasskeyRequirement" = Field(
        alias="setOrganizationPasskeyRequirement"
    )


class SetPasskeyRequirementSetOrganizationPasskeyRequirement(BaseModel):
    user_errors: list[
        "SetPasskeyRequirementSetOrganizationPasskeyRequirementUserErrors"
    ] = Field(alias="userErrors")


SetPasskeyRequirementSetOrganizationPasskeyRequirementUserErrors = Problem
SetPasskeyRequirement.model_rebuild()
SetPasskeyRequirementSetOrganizationPasskeyRequirement.model_rebuild()
