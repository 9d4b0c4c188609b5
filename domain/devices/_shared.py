"""What the device use cases share."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Device
from domain.audit.service import record_by
from domain.authz.principal import Principal
from domain.context import RequestMeta

AREA_FIELD = ("input", "areaId")
ID_FIELD = ("input", "id")


async def audit(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    action: str,
    device: Device,
    details: Mapping[str, object],
) -> None:
    await record_by(
        session,
        principal,
        meta,
        action,
        target=("device", device.id),
        organization_id=device.organization_id,
        details=dict(details),
    )
