from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class UpdatePartnerAccess(BaseModel):
    update_partner_access: "UpdatePartnerAccessUpdatePartnerAccess" = Field(
        alias="updatePartnerAccess"
    )


class UpdatePartnerAccessUpdatePartnerAccess(BaseModel):
    user_errors: list["UpdatePartnerAccessUpdatePartnerAccessUserErrors"] = Field(
        alias="userErrors"
    )


UpdatePartnerAccessUpdatePartnerAccessUserErrors = Problem
UpdatePartnerAccess.model_rebuild()
UpdatePartnerAccessUpdatePartnerAccess.model_rebuild()
