from .base_model import BaseModel
from .fragments import PageFrame


class Frame(BaseModel):
    viewer: "FrameViewer"


FrameViewer = PageFrame
Frame.model_rebuild()
