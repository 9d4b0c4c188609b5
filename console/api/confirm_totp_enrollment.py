from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ConfirmTotpEnrollment(BaseModel):
    confirm_totp_enrollment: "ConfirmTotpEnrollmentConfirmTotpEnrollment" = Field(
        alias="confirmTotpEnrollment"
    )


class ConfirmTotpEnrollmentConfirmTotpEnrollment(BaseModel):
    recovery_codes: Optional[list[str]] = Field(alias="recoveryCodes")
    user_errors: list["ConfirmTotpEnrollmentConfirmTotpEnrollmentUserErrors"] = Field(
        alias="userErrors"
    )


ConfirmTotpEnrollmentConfirmTotpEnrollmentUserErrors = Problem
ConfirmTotpEnrollment.model_rebuild()
ConfirmTotpEnrollmentConfirmTotpEnrollment.model_rebuild()
