from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import DeviceKind, DeviceStatus
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
    PlaceOptions,
    PlaceOptionsLocations,
)


class Devices(BaseModel):
    viewer: "DevicesViewer"


class DevicesViewer(PageFrame):
    working: "DevicesViewerWorking"


class DevicesViewerWorking(PlaceOptions):
    devices: "DevicesViewerWorkingDevices"


class DevicesViewerWorkingDevices(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "DevicesViewerWorkingDevicesPageInfo" = Field(alias="pageInfo")
    edges: list["DevicesViewerWorkingDevicesEdges"]


class DevicesViewerWorkingDevicesPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class DevicesViewerWorkingDevicesEdges(BaseModel):
    node: "DevicesViewerWorkingDevicesEdgesNode"


class DevicesViewerWorkingDevicesEdgesNode(BaseModel):
    id: str
    kind: DeviceKind
    serial_number: str = Field(alias="serialNumber")
    mac_address: str = Field(alias="macAddress")
    model: str
    name: str
    status: DeviceStatus
    area: "DevicesViewerWorkingDevicesEdgesNodeArea"
    location: "DevicesViewerWorkingDevicesEdgesNodeLocation"


class DevicesViewerWorkingDevicesEdgesNodeArea(BaseModel):
    id: str
    name: str


class DevicesViewerWorkingDevicesEdgesNodeLocation(BaseModel):
    id: str
    name: str


Devices.model_rebuild()
DevicesViewer.model_rebuild()
DevicesViewerWorking.model_rebuild()
DevicesViewerWorkingDevices.model_rebuild()
DevicesViewerWorkingDevicesEdges.model_rebuild()
DevicesViewerWorkingDevicesEdgesNode.model_rebuild()
