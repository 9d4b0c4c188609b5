from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class MoveDevice(BaseModel):
    move_device: "MoveDeviceMoveDevice" = Field(alias="moveDevice")


class MoveDeviceMoveDevice(BaseModel):
    device: Optional["MoveDeviceMoveDeviceDevice"]
    user_errors: list["MoveDeviceMoveDeviceUserErrors"] = Field(alias="userErrors")


class MoveDeviceMoveDeviceDevice(BaseModel):
    id: str
    name: str


MoveDeviceMoveDeviceUserErrors = Problem
MoveDevice.model_rebuild()
MoveDeviceMoveDevice.model_rebuild()
