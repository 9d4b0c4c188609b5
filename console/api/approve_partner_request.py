from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ApprovePartnerRequest(BaseModel):
    approve_partner_request: "ApprovePartnerRequestApprovePartnerRequest" = Field(
        alias="approvePartnerRequest"
    )


class ApprovePartnerRequestApprovePartnerRequest(BaseModel):
    partner_request: Optional[
        "ApprovePartnerRequestApprovePartnerRequestPartnerRequest"
    ] = Field(alias="partnerRequest")
    user_errors: list["ApprovePartnerRequestApprovePartnerRequestUserErrors"] = Field(
        alias="userErrors"
    )


class ApprovePartnerRequestApprovePartnerRequestPartnerRequest(BaseModel):
    id: str
    company_name: str = Field(alias="companyName")


ApprovePartnerRequestApprovePartnerRequestUserErrors = Problem
ApprovePartnerRequest.model_rebuild()
ApprovePartnerRequestApprovePartnerRequest.model_rebuild()
