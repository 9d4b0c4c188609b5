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


class LocationLocationDeviceCounts(BaseModel):
    total: int


Location.model_rebuild()
LocationLocation.model_rebuild()
