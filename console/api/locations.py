from pydantic import Field

from .base_model import BaseModel


class Locations(BaseModel):
    locations: "LocationsLocations"


class LocationsLocations(BaseModel):
    edges: list["LocationsLocationsEdges"]


class LocationsLocationsEdges(BaseModel):
    node: "LocationsLocationsEdgesNode"


class LocationsLocationsEdgesNode(BaseModel):
    id: str
    name: str
    time_zone: str = Field(alias="timeZone")
    is_default: bool = Field(alias="isDefault")
    device_counts: "LocationsLocationsEdgesNodeDeviceCounts" = Field(
        alias="deviceCounts"
    )
    areas: "LocationsLocationsEdgesNodeAreas"


class LocationsLocationsEdgesNodeDeviceCounts(BaseModel):
    total: int


class LocationsLocationsEdgesNodeAreas(BaseModel):
    edges: list["LocationsLocationsEdgesNodeAreasEdges"]


class LocationsLocationsEdgesNodeAreasEdges(BaseModel):
    node: "LocationsLocationsEdgesNodeAreasEdgesNode"


class LocationsLocationsEdgesNodeAreasEdgesNode(BaseModel):
    id: str
    name: str


Locations.model_rebuild()
LocationsLocations.model_rebuild()
LocationsLocationsEdges.model_rebuild()
LocationsLocationsEdgesNode.model_rebuild()
LocationsLocationsEdgesNodeAreas.model_rebuild()
LocationsLocationsEdgesNodeAreasEdges.model_rebuild()
