from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RemoveDevice(BaseModel):
    remove_device: "RemoveDeviceRemoveDevice" = Field(alias="removeDevice")


class RemoveDeviceRemoveDevice(BaseModel):
    user_errors: list["RemoveDeviceRemoveDeviceUserErrors"] = Field(alias="userErrors")


RemoveDeviceRemoveDeviceUserErrors = Problem
RemoveDevice.model_rebuild()
RemoveDeviceRemoveDevice.model_rebuild()
