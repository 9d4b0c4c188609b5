from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class EndPartnerMapping(BaseModel):
    end_partner_mapping: "EndPartnerMappingEndPartnerMapping" = Field(
        alias="endPartnerMapping"
    )


class EndPartnerMappingEndPartnerMapping(BaseModel):
    user_errors: list["EndPartnerMappingEndPartnerMappingUserErrors"] = Field(
        alias="userErrors"
    )


EndPartnerMappingEndPartnerMappingUserErrors = Problem
EndPartnerMapping.model_rebuild()
EndPartnerMappingEndPartnerMapping.model_rebuild()
