from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class ConfigureSso(BaseModel):
    configure_single_sign_on: "ConfigureSsoConfigureSingleSignOn" = Field(
        alias="configureSingleSignOn"
    )


class ConfigureSsoConfigureSingleSignOn(BaseModel):
    connection: Optional["ConfigureSsoConfigureSingleSignOnConnection"]
    user_errors: list["ConfigureSsoConfigureSingleSignOnUserErrors"] = Field(
        alias="userErrors"
    )


class ConfigureSsoConfigureSingleSignOnConnection(BaseModel):
    id: str


ConfigureSsoConfigureSingleSignOnUserErrors = Problem
ConfigureSso.model_rebuild()
ConfigureSsoConfigureSingleSignOn.model_rebuild()
