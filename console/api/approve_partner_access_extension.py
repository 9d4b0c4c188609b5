from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ApprovePartnerAccessExtension(BaseModel):
    approve_partner_access_extension: "ApprovePartnerAccessExtensionApprovePartnerAccessExtension" = Field(
        alias="approvePartnerAccessExtension"
    )


class ApprovePartnerAccessExtensionApprovePartnerAccessExtension(BaseModel):
    partner_mapping: Optional[
        "ApprovePartnerAccessExtensionApprovePartnerAccessExtensionPartnerMapping"
    ] = Field(alias="partnerMapping")
    user_errors: list[
        "ApprovePartnerAccessExtensionApprovePartnerAccessExtensionUserErrors"
    ] = Field(alias="userErrors")


class ApprovePartnerAccessExtensionApprovePartnerAccessExtensionPartnerMapping(
    BaseModel
):
    access_expires_at: datetime = Field(alias="accessExpiresAt")


ApprovePartnerAccessExtensionApprovePartnerAccessExtensionUserErrors = Problem
ApprovePartnerAccessExtension.model_rebuild()
ApprovePartnerAccessExtensionApprovePartnerAccessExtension.model_rebuild()
