from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class RegisterDevice(BaseModel):
    register_device: "RegisterDeviceRegisterDevice" = Field(alias="registerDevice")


class RegisterDeviceRegisterDevice(BaseModel):
    device: Optional["RegisterDeviceRegisterDeviceDevice"]
    user_errors: list["RegisterDeviceRegisterDeviceUserErrors"] = Field(
        alias="userErrors"
    )


class RegisterDeviceRegisterDeviceDevice(BaseModel):
    id: str
    serial_number: str = Field(alias="serialNumber")


RegisterDeviceRegisterDeviceUserErrors = Problem
RegisterDevice.model_rebuild()
RegisterDeviceRegisterDevice.model_rebuild()
