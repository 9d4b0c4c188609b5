"""What the location and area use cases share: writing a row whose name must be unique, and the
audit event of a change."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Area, Location
from domain.audit.service import record
from domain.authz.principal import Principal
from domain.context import RequestMeta
from domain.locations import errors


async def flush_names(
    session: AsyncSession, row: Location | Area, field: Sequence[str], parent: str
) -> None:
    """Write the row; a concurrent writer that took the same name first wins."""
    try:
        # Added inside the savepoint, so that its rollback also forgets a pending new row.
        async with session.begin_nested():
            session.add(row)
            await session.flush()
    except IntegrityError as exc:
        raise errors.name_taken(field, parent) from exc


async def audit(
    session: AsyncSession,
    principal: Principal,
    meta: RequestMeta,
    action: str,
    target: Location | Area,
    details: Mapping[str, object],
) -> None:
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=principal.user_id,
        actor_email=principal.email,
        organization_id=target.organization_id,
        target_type="location" if isinstance(target, Location) else "area",
        target_id=target.id,
        details=dict(details),
    )
