from typing import Optional

from pydantic import Field

from .base_model import BaseModel
from .fragments import Problem


class CreateManagedCustomer(BaseModel):
    create_managed_customer: "CreateManagedCustomerCreateManagedCustomer" = Field(
        alias="createManagedCustomer"
    )


class CreateManagedCustomerCreateManagedCustomer(BaseModel):
    customer: Optional["CreateManagedCustomerCreateManagedCustomerCustomer"]
    user_errors: list["CreateManagedCustomerCreateManagedCustomerUserErrors"] = Field(
        alias="userErrors"
    )


class CreateManagedCustomerCreateManagedCustomerCustomer(BaseModel):
    id: str
    name: str


CreateManagedCustomerCreateManagedCustomerUserErrors = Problem
CreateManagedCustomer.model_rebuild()
CreateManagedCustomerCreateManagedCustomer.model_rebuild()
