from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class FinishPasskeyRegistration(BaseModel):
    finish_passkey_registration: "FinishPasskeyRegistrationFinishPasskeyRegistration" = Field(
        alias="finishPasskeyRegistration"
    )


class FinishPasskeyRegistrationFinishPasskeyRegistration(BaseModel):
    passkey: Optional["FinishPasskeyRegistrationFinishPasskeyRegistrationPasskey"]
    user_errors: list[
        "FinishPasskeyRegistrationFinishPasskeyRegistrationUserErrors"
    ] = Field(alias="userErrors")


class FinishPasskeyRegistrationFinishPasskeyRegistrationPasskey(BaseModel):
    id: str
    name: str


FinishPasskeyRegistrationFinishPasskeyRegistrationUserErrors = Problem
FinishPasskeyRegistration.model_rebuild()
FinishPasskeyRegistrationFinishPasskeyRegistration.model_rebuild()
