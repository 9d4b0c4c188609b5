from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RevokeStepCode(BaseModel):
    revoke_step_partner_code: "RevokeStepCodeRevokeStepPartnerCode" = Field(
        alias="revokeStepPartnerCode"
    )


class RevokeStepCodeRevokeStepPartnerCode(BaseModel):
    step_partner_code: Optional[
        "RevokeStepCodeRevokeStepPartnerCodeStepPartnerCode"
    ] = Field(alias="stepPartnerCode")
    user_errors: list["RevokeStepCodeRevokeStepPartnerCodeUserErrors"] = Field(
        alias="userErrors"
    )


class RevokeStepCodeRevokeStepPartnerCodeStepPartnerCode(BaseModel):
    id: str
    code: str


RevokeStepCodeRevokeStepPartnerCodeUserErrors = Problem
RevokeStepCode.model_rebuild()
RevokeStepCodeRevokeStepPartnerCode.model_rebuild()
