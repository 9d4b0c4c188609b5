from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class StartTotpEnrollment(BaseModel):
    start_totp_enrollment: "StartTotpEnrollmentStartTotpEnrollment" = Field(
        alias="startTotpEnrollment"
    )


class StartTotpEnrollmentStartTotpEnrollment(BaseModel):
    secret: Optional[str]
    otpauth_uri: Optional[str] = Field(alias="otpauthUri")
    user_errors: list["StartTotpEnrollmentStartTotpEnrollmentUserErrors"] = Field(
        alias="userErrors"
    )


StartTotpEnrollmentStartTotpEnrollmentUserErrors = Problem
StartTotpEnrollment.model_rebuild()
StartTotpEnrollmentStartTotpEnrollment.model_rebuild()
