from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RejectPartnerRequest(BaseModel):
    reject_partner_request: "RejectPartnerRequestRejectPartnerRequest" = Field(
        alias="rejectPartnerRequest"
    )


class RejectPartnerRequestRejectPartnerRequest(BaseModel):
    partner_request: Optional[
        "RejectPartnerRequestRejectPartnerRequestPartnerRequest"
    ] = Field(alias="partnerRequest")
    user_errors: list["RejectPartnerRequestRejectPartnerRequestUserErrors"] = Field(
        alias="userErrors"
    )


class RejectPartnerRequestRejectPartnerRequestPartnerRequest(BaseModel):
    id: str
    company_name: str = Field(alias="companyName")


RejectPartnerRequestRejectPartnerRequestUserErrors = Problem
RejectPartnerRequest.model_rebuild()
RejectPartnerRequestRejectPartnerRequest.model_rebuild()
