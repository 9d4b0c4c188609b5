from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .enums import DeviceKind, DeviceStatus


class Devices(BaseModel):
    locations: "DevicesLocations"
    devices: "DevicesDevices"


class DevicesLocations(BaseModel):
    edges: list["DevicesLocationsEdges"]


class DevicesLocationsEdges(BaseModel):
    node: "DevicesLocationsEdgesNode"


class DevicesLocationsEdgesNode(BaseModel):
    id: str
    name: str
    areas: "DevicesLocationsEdgesNodeAreas"


class DevicesLocationsEdgesNodeAreas(BaseModel):
    edges: list["DevicesLocationsEdgesNodeAreasEdges"]


class DevicesLocationsEdgesNodeAreasEdges(BaseModel):
    node: "DevicesLocationsEdgesNodeAreasEdgesNode"


class DevicesLocationsEdgesNodeAreasEdgesNode(BaseModel):
    id: str
    name: str


class DevicesDevices(BaseModel):
    total_count: int = Field(alias="totalCount")
    page_info: "DevicesDevicesPageInfo" = Field(alias="pageInfo")
    edges: list["DevicesDevicesEdges"]


class DevicesDevicesPageInfo(BaseModel):
    has_next_page: bool = Field(alias="hasNextPage")
    end_cursor: Optional[str] = Field(alias="endCursor")


class DevicesDevicesEdges(BaseModel):
    node: "DevicesDevicesEdgesNode"


class DevicesDevicesEdgesNode(BaseModel):
    id: str
    kind: DeviceKind
    serial_number: str = Field(alias="serialNumber")
    mac_address: str = Field(alias="macAddress")
    model: str
    name: str
    status: DeviceStatus
    area: "DevicesDevicesEdgesNodeArea"
    location: "DevicesDevicesEdgesNodeLocation"


class DevicesDevicesEdgesNodeArea(BaseModel):
    id: str
    name: str


class DevicesDevicesEdgesNodeLocation(BaseModel):
    id: str
    name: str


Devices.model_rebuild()
DevicesLocations.model_rebuild()
DevicesLocationsEdges.model_rebuild()
DevicesLocationsEdgesNode.model_rebuild()
DevicesLocationsEdgesNodeAreas.model_rebuild()
DevicesLocationsEdgesNodeAreasEdges.model_rebuild()
DevicesDevices.model_rebuild()
DevicesDevicesEdges.model_rebuild()
DevicesDevicesEdgesNode.model_rebuild()
