from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RenameDevice(BaseModel):
    rename_device: "RenameDeviceRenameDevice" = Field(alias="renameDevice")


class RenameDeviceRenameDevice(BaseModel):
    device: Optional["RenameDeviceRenameDeviceDevice"]
    user_errors: list["RenameDeviceRenameDeviceUserErrors"] = Field(alias="userErrors")


class RenameDeviceRenameDeviceDevice(BaseModel):
    id: str
    name: str


RenameDeviceRenameDeviceUserErrors = Problem
RenameDevice.model_rebuild()
RenameDeviceRenameDevice.model_rebuild()
