from .base_model import BaseModel


class Products(BaseModel):
    products: list["ProductsProducts"]


class ProductsProducts(BaseModel):
    key: str
    name: str


Products.model_rebuild()
