from .base_model import BaseModel
from .fragments import PageFrame


class LicenseKeysPage(BaseModel):
    viewer: "LicenseKeysPageViewer"
    products: list["LicenseKeysPageProducts"]


LicenseKeysPageViewer = PageFrame


class LicenseKeysPageProducts(BaseModel):
    key: str
    name: str


LicenseKeysPage.model_rebuild()
