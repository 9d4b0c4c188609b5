from pydantic import Field

from .base_model import BaseModel
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class Locations(BaseModel):
    viewer: "LocationsViewer"


class LocationsViewer(PageFrame):
    working: "LocationsViewerWorking"


class LocationsViewerWorking(BaseModel):
    locations: "LocationsViewerWorkingLocations"


class LocationsViewerWorkingLocations(BaseModel):
    edges: list["LocationsViewerWorkingLocationsEdges"]


class LocationsViewerWorkingLocationsEdges(BaseModel):
    node: "LocationsViewerWorkingLocationsEdgesNode"


class LocationsViewerWorkingLocationsEdgesNode(BaseModel):
    id: str
    name: str
    time_zone: str = Field(alias="timeZone")
    is_default: bool = Field(alias="isDefault")
    device_counts: "LocationsViewerWorkingLocationsEdgesNodeDeviceCounts" = Field(
        alias="deviceCounts"
    )
    areas: "LocationsViewerWorkingLocationsEdgesNodeAreas"


class LocationsViewerWorkingLocationsEdgesNodeDeviceCounts(BaseModel):
    total: int


class LocationsViewerWorkingLocationsEdgesNodeAreas(BaseModel):
    edges: list["LocationsViewerWorkingLocationsEdgesNodeAreasEdges"]


class LocationsViewerWorkingLocationsEdgesNodeAreasEdges(BaseModel):
    node: "LocationsViewerWorkingLocationsEdgesNodeAreasEdgesNode"


class LocationsViewerWorkingLocationsEdgesNodeAreasEdgesNode(BaseModel):
    id: str
    name: str


Locations.model_rebuild()
LocationsViewer.model_rebuild()
LocationsViewerWorking.model_rebuild()
LocationsViewerWorkingLocations.model_rebuild()
LocationsViewerWorkingLocationsEdges.model_rebuild()
LocationsViewerWorkingLocationsEdgesNode.model_rebuild()
LocationsViewerWorkingLocationsEdgesNodeAreas.model_rebuild()
LocationsViewerWorkingLocationsEdgesNodeAreasEdges.model_rebuild()
