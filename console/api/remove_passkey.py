from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RemovePasskey(BaseModel):
    remove_passkey: "RemovePasskeyRemovePasskey" = Field(alias="removePasskey")


class RemovePasskeyRemovePasskey(BaseModel):
    removed_passkey_id: Optional[str] = Field(alias="removedPasskeyId")
    user_errors: list["RemovePasskeyRemovePasskeyUserErrors"] = Field(
        alias="userErrors"
    )


RemovePasskeyRemovePasskeyUserErrors = Problem
RemovePasskey.model_rebuild()
RemovePasskeyRemovePasskey.model_rebuild()
