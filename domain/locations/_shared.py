"""What the location and area use cases share: writing a row whose name must be unique, and the
audit event of a change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Location
from db.savepoint import add_in_savepoint
from domain.audit.service import record_by
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.locations import errors


async def flush_names(
    session: AsyncSession, row: Location | Area, field: Sequence[str], parent: str
) -> None:
    """Write the row; a concurrent writer that took the same name first wins."""
    if not await add_in_savepoint(session, row):
        raise errors.name_taken(field, parent)


async def audit(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    action: str,
    target: Location | Area,
    details: Mapping[str, object],
) -> None:
    await record_by(
        session,
        principal,
        meta,
        action,
        target=("location" if isinstance(target, Location) else "area", target.id),
        organization_id=target.organization_id,
        details=dict(details),
    )
