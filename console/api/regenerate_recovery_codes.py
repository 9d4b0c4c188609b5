from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RegenerateRecoveryCodes(BaseModel):
    regenerate_recovery_codes: "RegenerateRecoveryCodesRegenerateRecoveryCodes" = Field(
        alias="regenerateRecoveryCodes"
    )


class RegenerateRecoveryCodesRegenerateRecoveryCodes(BaseModel):
    recovery_codes: Optional[list[str]] = Field(alias="recoveryCodes")
    user_errors: list["RegenerateRecoveryCodesRegenerateRecoveryCodesUserErrors"] = (
        Field(alias="userErrors")
    )


RegenerateRecoveryCodesRegenerateRecoveryCodesUserErrors = Problem
RegenerateRecoveryCodes.model_rebuild()
RegenerateRecoveryCodesRegenerateRecoveryCodes.model_rebuild()
