"""Optional mail for internal admins: "a new partner request arrived" (issue 13).

Every active internal admin gets one mail per new request, written to the outbox in the
request's own transaction (a rolled-back request mails nobody), unless they opted out on their
Account page (``updateAdminNotificationSettings``, audited). Mail is opt-out: a new admin hears
about requests from the start, so that a request never waits unseen.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.database import Database
from db.models import PartnerRequest
from domain.admin import repository
from domain.audit.service import record
from domain.authz.policy import GlobalAction, require_global
from domain.authz.principal import Principal
from domain.context import RequestMeta
from mail import outbox
from mail.catalog import PartnerRequestArrivedMail

PARTNER_REQUESTS = "partner_requests"


@dataclass(frozen=True, slots=True)
class NotificationSettings:
    partner_request_mail: bool


async def get_settings(db: Database, principal: Principal) -> NotificationSettings:
    require_global(principal, GlobalAction.PARTNER_REQUEST_REVIEW)
    async with db.read_session() as session:
        out = await repository.opted_out(session, principal.user_id, PARTNER_REQUESTS)
    return NotificationSettings(partner_request_mail=not out)


async def update_settings(
    session: AsyncSession, principal: Principal, *, partner_request_mail: bool, meta: RequestMeta
) -> NotificationSettings:
    require_global(principal, GlobalAction.PARTNER_REQUEST_REVIEW)
    changed = await repository.set_opt_out(
        session, principal.user_id, PARTNER_REQUESTS, not partner_request_mail
    )
    if changed:  # saving the same choice again changes nothing, and records nothing
        await record(
            session,
            "admin.notifications_changed",
            meta=meta,
            actor_user_id=principal.user_id,
            actor_email=principal.email,
            target_type="user",
            target_id=principal.user_id,
            details={"partner_request_mail": partner_request_mail},
        )
    return NotificationSettings(partner_request_mail=partner_request_mail)


async def mail_admins_about_request(
    session: AsyncSession, request: PartnerRequest, *, public_url: str
) -> int:
    """Queue the "new partner request" mail for every admin who wants it; how many."""
    admins = await repository.admins_to_notify(session, PARTNER_REQUESTS)
    for admin in admins:
        await outbox.enqueue(
            session,
            mail=PartnerRequestArrivedMail(
                first_name=admin.first_name,
                company_name=request.company_name,
                contact_email=request.contact_email,
                step_partner_code=request.step_partner_code,
                country=request.country,
                review_url=f"{public_url}/",
                settings_url=f"{public_url}/account",
            ),
            to=admin.email,
            public_url=public_url,
        )
    return len(admins)
