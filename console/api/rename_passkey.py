from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RenamePasskey(BaseModel):
    rename_passkey: "RenamePasskeyRenamePasskey" = Field(alias="renamePasskey")


class RenamePasskeyRenamePasskey(BaseModel):
    passkey: Optional["RenamePasskeyRenamePasskeyPasskey"]
    user_errors: list["RenamePasskeyRenamePasskeyUserErrors"] = Field(
        alias="userErrors"
    )


class RenamePasskeyRenamePasskeyPasskey(BaseModel):
    id: str
    name: str


RenamePasskeyRenamePasskeyUserErrors = Problem
RenamePasskey.model_rebuild()
RenamePasskeyRenamePasskey.model_rebuild()
