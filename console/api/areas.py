from pydantic import Field

from .base_model import BaseModel


class Areas(BaseModel):
    locations: "AreasLocations"


class AreasLocations(BaseModel):
    edges: list["AreasLocationsEdges"]


class AreasLocationsEdges(BaseModel):
    node: "AreasLocationsEdgesNode"


class AreasLocationsEdgesNode(BaseModel):
    id: str
    name: str
    areas: "AreasLocationsEdgesNodeAreas"


class AreasLocationsEdgesNodeAreas(BaseModel):
    edges: list["AreasLocationsEdgesNodeAreasEdges"]


class AreasLocationsEdgesNodeAreasEdges(BaseModel):
    node: "AreasLocationsEdgesNodeAreasEdgesNode"


class AreasLocationsEdgesNodeAreasEdgesNode(BaseModel):
    id: str
    name: str
    is_default: bool = Field(alias="isDefault")


Areas.model_rebuild()
AreasLocations.model_rebuild()
AreasLocationsEdges.model_rebuild()
AreasLocationsEdgesNode.model_rebuild()
AreasLocationsEdgesNodeAreas.model_rebuild()
AreasLocationsEdgesNodeAreasEdges.model_rebuild()
