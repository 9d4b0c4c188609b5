from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RemoveSso(BaseModel):
    remove_single_sign_on: "RemoveSsoRemoveSingleSignOn" = Field(
        alias="removeSingleSignOn"
    )


class RemoveSsoRemoveSingleSignOn(BaseModel):
    removed_connection_id: Optional[str] = Field(alias="removedConnectionId")
    user_errors: list["RemoveSsoRemoveSingleSignOnUserErrors"] = Field(
        alias="userErrors"
    )


RemoveSsoRemoveSingleSignOnUserErrors = Problem
RemoveSso.model_rebuild()
RemoveSsoRemoveSingleSignOn.model_rebuild()
