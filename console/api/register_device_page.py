from .base_model import BaseModel
from .fragments import (  # noqa: F401
    PageFrame,
    PageFrameOrganization,
    PageFrameOrganizations,
    PageFrameTechnicianAccess,
    PageFrameUser,
    PlaceOptions,
)


class RegisterDevicePage(BaseModel):
    viewer: "RegisterDevicePageViewer"


class RegisterDevicePageViewer(PageFrame):
    working: "RegisterDevicePageViewerWorking"


RegisterDevicePageViewerWorking = PlaceOptions
RegisterDevicePage.model_rebuild()
RegisterDevicePageViewer.model_rebuild()
