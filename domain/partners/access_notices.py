"""Expiry notices of partner grants (domain.partners.access): both sides are mailed 30 and 7 days
before a grant ends, and its end is recorded in both organizations' audit logs.

Access itself needs none of this: the principal stops reaching the customer at the end date
(domain.authz.repository). This pass runs in every process every ``INTERVAL`` seconds; the
notice column moves on by a conditional UPDATE (``mark_notice``), so each notice is sent once
however many processes run it, and a grant changed meanwhile (a new end date resets the column)
gets its own notices. A grant found late (the server was down) gets only the latest notice due.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database
from db.models import PartnerMapping
from domain.audit.service import record
from domain.context import RequestMeta
from domain.enums import PartnerAccessNotice, Role
from domain.partners import repository as repo
from domain.partners.access import PARTNER_ADMINS, human_date
from kit.clock import utcnow
from kit.dependencies import OUTAGES, unavailable
from mail import outbox
from mail.catalog import PartnerAccessExpiringMail
from settings import Settings

logger = logging.getLogger("portal.partners")

INTERVAL = 600.0
BATCH = 200
_SYSTEM = RequestMeta.system("partner access expiry")


def notice_due(expires_at: datetime, now: datetime) -> PartnerAccessNotice:
    if expires_at <= now:
        return PartnerAccessNotice.EXPIRED
    if expires_at <= now + timedelta(days=7):
        return PartnerAccessNotice.DAYS_7
    if expires_at <= now + timedelta(days=30):
        return PartnerAccessNotice.DAYS_30
    return PartnerAccessNotice.NONE


_ORDER = list(PartnerAccessNotice)


async def send_expiry_notices(db: Database, settings: Settings, now: datetime | None = None) -> int:
    """One pass; how many notices (mail rounds or expiry records) it made."""
    now = now or utcnow()
    made = 0
    async with db.unit_of_work() as session:
        due = await repo.grants_due(session, now=now, limit=BATCH)
        for mapping in due:
            if await _notify(session, settings, mapping, now):
                made += 1
    return made


async def _notify(
    session: AsyncSession, settings: Settings, mapping: PartnerMapping, now: datetime
) -> bool:
    expires_at = mapping.access_expires_at
    assert expires_at is not None  # grants_due compared it
    notice = notice_due(expires_at, now)
    if _ORDER.index(notice) <= _ORDER.index(mapping.access_notice):
        return False
    won = await repo.mark_notice(
        session, mapping.id, was=mapping.access_notice, expires_at=expires_at, notice=notice
    )
    if not won:
        return False
    action = (
        "partner_access.expired"
        if notice is PartnerAccessNotice.EXPIRED
        else "partner_access.expiry_notice_sent"
    )
    for organization_id in (mapping.customer_organization_id, mapping.partner_organization_id):
        await record(
            session,
            action,
            meta=_SYSTEM,
            organization_id=organization_id,
            target_type="partner_mapping",
            target_id=mapping.id,
            details={
                "partner_organization_id": str(mapping.partner_organization_id),
                "customer_organization_id": str(mapping.customer_organization_id),
                "access_expires_at": expires_at.isoformat(),
                "notice": notice.value,
            },
        )
    if notice is not PartnerAccessNotice.EXPIRED:
        await _mail_both_sides(session, settings, mapping, expires_at, notice)
    return True


async def _mail_both_sides(
    session: AsyncSession,
    settings: Settings,
    mapping: PartnerMapping,
    expires_at: datetime,
    notice: PartnerAccessNotice,
) -> None:
    customer = await repo.live_organization(session, mapping.customer_organization_id)
    partner = await repo.live_organization(session, mapping.partner_organization_id)
    if customer is None or partner is None:
        return
    days = 7 if notice is PartnerAccessNotice.DAYS_7 else 30
    sides = (
        (customer.id, (Role.SUPER_ADMIN,), False),
        (partner.id, PARTNER_ADMINS, True),
    )
    for organization_id, roles, for_partner in sides:
        for person in await repo.active_members(session, organization_id, roles):
            await outbox.enqueue(
                session,
                mail=PartnerAccessExpiringMail(
                    first_name=person.first_name or "there",
                    customer_name=customer.name,
                    partner_name=partner.name,
                    for_partner=for_partner,
                    days_left=days,
                    access_ends=human_date(expires_at),
                ),
                to=person.email,
                public_url=settings.public_url,
            )


async def start_expiry_notices(db: Database, settings: Settings) -> Callable[[], Awaitable[None]]:
    """Start the periodic pass; return the function that stops it."""

    async def loop() -> None:
        while True:
            await asyncio.sleep(INTERVAL)
            try:
                await send_expiry_notices(db, settings)
            except Exception as exc:
                dependency = unavailable(exc)
                if dependency is None:
                    logger.exception("partner access notices failed; retrying in %.0f s", INTERVAL)
                else:
                    OUTAGES.failed(dependency, exc, where="partner access notices")

    task = asyncio.create_task(loop(), name="partner-access-notices")

    async def stop() -> None:
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    return stop
