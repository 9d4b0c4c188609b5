from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DeclinePartnerAccessExtension(BaseModel):
    decline_partner_access_extension: "DeclinePartnerAccessExtensionDeclinePartnerAccessExtension" = Field(
        alias="declinePartnerAccessExtension"
    )


class DeclinePartnerAccessExtensionDeclinePartnerAccessExtension(BaseModel):
    user_errors: list[
        "DeclinePartnerAccessExtensionDeclinePartnerAccessExtensionUserErrors"
    ] = Field(alias="userErrors")


DeclinePartnerAccessExtensionDeclinePartnerAccessExtensionUserErrors = Problem
DeclinePartnerAccessExtension.model_rebuild()
DeclinePartnerAccessExtensionDeclinePartnerAccessExtension.model_rebuild()
