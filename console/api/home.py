from typing import Literal, Union

from pydantic import Field

from .base_model import BaseModel
from .enums import MenuKey


class Home(BaseModel):
    landing: Union[
        "HomeLandingCustomerLanding",
        "HomeLandingPartnerLanding",
        "HomeLandingAdminLanding",
    ] = Field(discriminator="typename__")


class HomeLandingCustomerLanding(BaseModel):
    typename__: Literal["CustomerLanding"] = Field(alias="__typename")
    organization: "HomeLandingCustomerLandingOrganization"
    app_tiles: list["HomeLandingCustomerLandingAppTiles"] = Field(alias="appTiles")
    menu: list["HomeLandingCustomerLandingMenu"]


class HomeLandingCustomerLandingOrganization(BaseModel):
    name: str


class HomeLandingCustomerLandingAppTiles(BaseModel):
    key: str
    name: str
    description: str
    link: str
    unlocked: bool


class HomeLandingCustomerLandingMenu(BaseModel):
    key: MenuKey
    label: str


class HomeLandingPartnerLanding(BaseModel):
    typename__: Literal["PartnerLanding"] = Field(alias="__typename")
    organization: "HomeLandingPartnerLandingOrganization"


class HomeLandingPartnerLandingOrganization(BaseModel):
    name: str


class HomeLandingAdminLanding(BaseModel):
    typename__: Literal["AdminLanding"] = Field(alias="__typename")


Home.model_rebuild()
HomeLandingCustomerLanding.model_rebuild()
HomeLandingPartnerLanding.model_rebuild()
