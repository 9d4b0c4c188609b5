"""The STEP partner-code registry as internal admins see it."""

from __future__ import annotations

import uuid
from datetime import datetime

import strawberry

from db.models import StepPartnerCode as StepPartnerCodeRow
from resolvers.context import context_of
from schema.enums import StepCodeStatus
from schema.relay import Connection
from schema.types.organization import Organization


@strawberry.type(
    name="StepPartnerCode",
    description=(
        "A code of the vendor's STEP partner programme: ACTIVE codes let a partner join (once); "
        "REVOKED ones are refused."
    ),
)
class StepPartnerCode:
    id: strawberry.ID = strawberry.field(description="The code's id.")
    code: str = strawberry.field(description="Normalized: trimmed, upper case.")
    company: str | None = strawberry.field(description="Whom the vendor gave it to, if known.")
    status: StepCodeStatus = strawberry.field(description="ACTIVE (usable once) or REVOKED.")
    created_at: datetime = strawberry.field(description="When it was added to the registry.")
    updated_at: datetime = strawberry.field(description="Last change (e.g. the revocation).")
    pk: strawberry.Private[uuid.UUID]

    async def _organization(self, info: strawberry.Info) -> Organization | None:
        row = await context_of(info).loaders.organization_by_step_code_id.load(self.pk)
        return Organization.from_row(row) if row is not None else None

    organization: Organization | None = strawberry.field(
        resolver=_organization,
        description="The partner organization made from this code (null while unused).",
    )

    @classmethod
    def from_row(cls, row: StepPartnerCodeRow) -> StepPartnerCode:
        return cls(
            id=strawberry.ID(str(row.id)),
            code=row.code,
            company=row.company,
            status=row.status,
            created_at=row.created_at,
            updated_at=row.updated_at,
            pk=row.id,
        )


@strawberry.type(description="A page of STEP partner codes.")
class StepPartnerCodeConnection(Connection[StepPartnerCode]):
    pass
