from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .enums import DeviceKind, DeviceStatus, LicenseStatus
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
    PlaceOptions,
    PlaceOptionsLocations,
)


class DevicePage(BaseModel):
    viewer: "DevicePageViewer"
    node: Optional[
        Annotated[
            Union["DevicePageNodeNode", "DevicePageNodeDevice"],
            Field(discriminator="typename__"),
        ]
    ]


class DevicePageViewer(PageFrame):
    working: "DevicePageViewerWorking"


class DevicePageViewerWorking(PlaceOptions):
    licenses: "DevicePageViewerWorkingLicenses"


class DevicePageViewerWorkingLicenses(BaseModel):
    edges: list["DevicePageViewerWorkingLicensesEdges"]


class DevicePageViewerWorkingLicensesEdges(BaseModel):
    node: "DevicePageViewerWorkingLicensesEdgesNode"


class DevicePageViewerWorkingLicensesEdgesNode(BaseModel):
    id: str
    key_hint: str = Field(alias="keyHint")
    status: LicenseStatus
    seats_available: int = Field(alias="seatsAvailable")
    product: "DevicePageViewerWorkingLicensesEdgesNodeProduct"


class DevicePageViewerWorkingLicensesEdgesNodeProduct(BaseModel):
    name: str


class DevicePageNodeNode(BaseModel):
    typename__: Literal["Area", "License", "Location", "Node", "Organization"] = Field(
        alias="__typename"
    )


class DevicePageNodeDevice(BaseModel):
    typename__: Literal["Device"] = Field(alias="__typename")
    id: str
    kind: DeviceKind
    serial_number: str = Field(alias="serialNumber")
    mac_address: str = Field(alias="macAddress")
    model: str
    name: str
    status: DeviceStatus
    area: "DevicePageNodeDeviceArea"
    location: "DevicePageNodeDeviceLocation"
    licenses: list["DevicePageNodeDeviceLicenses"]


class DevicePageNodeDeviceArea(BaseModel):
    id: str
    name: str


class DevicePageNodeDeviceLocation(BaseModel):
    id: str
    name: str


class DevicePageNodeDeviceLicenses(BaseModel):
    id: str
    key_hint: str = Field(alias="keyHint")
    status: LicenseStatus
    product: "DevicePageNodeDeviceLicensesProduct"


class DevicePageNodeDeviceLicensesProduct(BaseModel):
    name: str


DevicePage.model_rebuild()
DevicePageViewer.model_rebuild()
DevicePageViewerWorking.model_rebuild()
DevicePageViewerWorkingLicenses.model_rebuild()
DevicePageViewerWorkingLicensesEdges.model_rebuild()
DevicePageViewerWorkingLicensesEdgesNode.model_rebuild()
DevicePageNodeDevice.model_rebuild()
DevicePageNodeDeviceLicenses.model_rebuild()
