from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import DeviceKind, DeviceStatus, LicenseStatus


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
    licenses: list["DeviceDeviceLicenses"]


class DeviceDeviceArea(BaseModel):
    id: str
    name: str


class DeviceDeviceLocation(BaseModel):
    id: str
    name: str


class DeviceDeviceLicenses(BaseModel):
    id: str
    key_hint: str = Field(alias="keyHint")
    status: LicenseStatus
    product: "DeviceDeviceLicensesProduct"


class DeviceDeviceLicensesProduct(BaseModel):
    name: str


Device.model_rebuild()
DeviceDevice.model_rebuild()
DeviceDeviceLicenses.model_rebuild()
