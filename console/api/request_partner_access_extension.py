from datetime import datetime
from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RequestPartnerAccessExtension(BaseModel):
    request_partner_access_extension: "RequestPartnerAccessExtensionRequestPartnerAccessExtension" = Field(
        alias="requestPartnerAccessExtension"
    )


class RequestPartnerAccessExtensionRequestPartnerAccessExtension(BaseModel):
    partner_mapping: Optional[
        "RequestPartnerAccessExtensionRequestPartnerAccessExtensionPartnerMapping"
    ] = Field(alias="partnerMapping")
    user_errors: list[
        "RequestPartnerAccessExtensionRequestPartnerAccessExtensionUserErrors"
    ] = Field(alias="userErrors")


class RequestPartnerAccessExtensionRequestPartnerAccessExtensionPartnerMapping(
    BaseModel
):
    pending_extension: Optional[
        "RequestPartnerAccessExtensionRequestPartnerAccessExtensionPartnerMappingPendingExtension"
    ] = Field(alias="pendingExtension")


class RequestPartnerAccessExtensionRequestPartnerAccessExtensionPartnerMappingPendingExtension(
    BaseModel
):
    requested_until: datetime = Field(alias="requestedUntil")


RequestPartnerAccessExtensionRequestPartnerAccessExtensionUserErrors = Problem
RequestPartnerAccessExtension.model_rebuild()
RequestPartnerAccessExtensionRequestPartnerAccessExtension.model_rebuild()
RequestPartnerAccessExtensionRequestPartnerAccessExtensionPartnerMapping.model_rebuild()
