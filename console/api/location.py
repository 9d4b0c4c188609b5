from typing import Optional

from pydantic import Field

from .base_model import BaseModel


class Location(BaseModel):
    location: Optional["LocationLocation"]


class LocationLocation(BaseModel):
    id: str
    name: str
    time_zone: str = Field(alias="timeZone")
    is_default: bool = Field(alias="isDefault")
    device_counts: "LocationLocationDeviceCounts" = Field(alias="deviceCounts")
    areas: "LocationLocationAreas"


class LocationLocationDeviceCounts(BaseModel):
    total: int


class LocationLocationAreas(BaseModel):
    edges: list["LocationLocationAreasEdges"]


class LocationLocationAreasEdges(BaseModel):
    node: "LocationLocationAreasEdgesNode"


class LocationLocationAreasEdgesNode(BaseModel):
    id: str
    name: str
    is_default: bool = Field(alias="isDefault")
    device_counts: "LocationLocationAreasEdgesNodeDeviceCounts" = Field(
        alias="deviceCounts"
    )


class LocationLocationAreasEdgesNodeDeviceCounts(BaseModel):
    total: int


Location.model_rebuild()
LocationLocation.model_rebuild()
LocationLocationAreas.model_rebuild()
LocationLocationAreasEdges.model_rebuild()
LocationLocationAreasEdgesNode.model_rebuild()
