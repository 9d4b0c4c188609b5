from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class DisableTotp(BaseModel):
    disable_totp: "DisableTotpDisableTotp" = Field(alias="disableTotp")


class DisableTotpDisableTotp(BaseModel):
    user_errors: list["DisableTotpDisableTotpUserErrors"] = Field(alias="userErrors")


DisableTotpDisableTotpUserErrors = Problem
DisableTotp.model_rebuild()
DisableTotpDisableTotp.model_rebuild()
