from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class StartPasskeyRegistration(BaseModel):
    start_passkey_registration: "StartPasskeyRegistrationStartPasskeyRegistration" = (
        Field(alias="startPasskeyRegistration")
    )


class StartPasskeyRegistrationStartPasskeyRegistration(BaseModel):
    options_json: Optional[str] = Field(alias="optionsJson")
    user_errors: list["StartPasskeyRegistrationStartPasskeyRegistrationUserErrors"] = (
        Field(alias="userErrors")
    )


StartPasskeyRegistrationStartPasskeyRegistrationUserErrors = Problem
StartPasskeyRegistration.model_rebuild()
StartPasskeyRegistrationStartPasskeyRegistration.model_rebuild()
