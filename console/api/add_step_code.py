from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class AddStepCode(BaseModel):
    add_step_partner_codes: "AddStepCodeAddStepPartnerCodes" = Field(
        alias="addStepPartnerCodes"
    )


class AddStepCodeAddStepPartnerCodes(BaseModel):
    step_partner_codes: list["AddStepCodeAddStepPartnerCodesStepPartnerCodes"] = Field(
        alias="stepPartnerCodes"
    )
    user_errors: list["AddStepCodeAddStepPartnerCodesUserErrors"] = Field(
        alias="userErrors"
    )


class AddStepCodeAddStepPartnerCodesStepPartnerCodes(BaseModel):
    id: str
    code: str


AddStepCodeAddStepPartnerCodesUserErrors = Problem
AddStepCode.model_rebuild()
AddStepCodeAddStepPartnerCodes.model_rebuild()
