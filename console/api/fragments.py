from typing import Optional

from .base_model import BaseModel


class Problem(BaseModel):
    field: Optional[list[str]]
    message: str
    code: str


Problem.model_rebuild()
