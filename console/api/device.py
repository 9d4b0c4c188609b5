from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import DeviceKind, DeviceStatus


class Device(BaseModel):
    device: Optional["DeviceDevice"]


class DeviceDevice(BaseModel):
    id: str
    kind: DeviceKind
    serial_number: str = Field(alias="serialNumber")
    mac_address: str = Field(alias="macAddress")
    model: str
    name: str
    status: DeviceStatus
    area: "DeviceDeviceArea"
    location: "DeviceDeviceLocation"


class DeviceDeviceArea(BaseModel):
    id: str
    name: str


class DeviceDeviceLocation(BaseModel):
    id: str
    name: str


Device.model_rebuild()
DeviceDevice.model_rebuild()
