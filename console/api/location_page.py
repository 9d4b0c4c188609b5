from typing import Annotated, Literal, Optional, Union

from pydantic import Field

from .base_model import BaseModel
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
)


class LocationPage(BaseModel):
    viewer: "LocationPageViewer"
    node: Optional[
        Annotated[
            Union["LocationPageNodeNode", "LocationPageNodeLocation"],
            Field(discriminator="typename__"),
        ]
    ]


class LocationPageViewer(PageFrame):
    working: "LocationPageViewerWorking"


class LocationPageViewerWorking(BaseModel):
    locations: "LocationPageViewerWorkingLocations"


class LocationPageViewerWorkingLocations(BaseModel):
    edges: list["LocationPageViewerWorkingLocationsEdges"]


class LocationPageViewerWorkingLocationsEdges(BaseModel):
    node: "LocationPageViewerWorkingLocationsEdgesNode"


class LocationPageViewerWorkingLocationsEdgesNode(BaseModel):
    id: str
    name: str


class LocationPageNodeNode(BaseModel):
    typename__: Literal["Area", "Device", "License", "Node", "Organization"] = Field(
        alias="__typename"
    )


class LocationPageNodeLocation(BaseModel):
    typename__: Literal["Location"] = Field(alias="__typename")
    id: str
    name: str
    time_zone: str = Field(alias="timeZone")
    is_default: bool = Field(alias="isDefault")
    device_counts: "LocationPageNodeLocationDeviceCounts" = Field(alias="deviceCounts")
    areas: "LocationPageNodeLocationAreas"


class LocationPageNodeLocationDeviceCounts(BaseModel):
    total: int


class LocationPageNodeLocationAreas(BaseModel):
    edges: list["LocationPageNodeLocationAreasEdges"]


class LocationPageNodeLocationAreasEdges(BaseModel):
    node: "LocationPageNodeLocationAreasEdgesNode"


class LocationPageNodeLocationAreasEdgesNode(BaseModel):
    id: str
    name: str
    is_default: bool = Field(alias="isDefault")
    device_counts: "LocationPageNodeLocationAreasEdgesNodeDeviceCounts" = Field(
        alias="deviceCounts"
    )


class LocationPageNodeLocationAreasEdgesNodeDeviceCounts(BaseModel):
    total: int


LocationPage.model_rebuild()
LocationPageViewer.model_rebuild()
LocationPageViewerWorking.model_rebuild()
LocationPageViewerWorkingLocations.model_rebuild()
LocationPageViewerWorkingLocationsEdges.model_rebuild()
LocationPageNodeLocation.model_rebuild()
LocationPageNodeLocationAreas.model_rebuild()
LocationPageNodeLocationAreasEdges.model_rebuild()
LocationPageNodeLocationAreasEdgesNode.model_rebuild()
