"""The members area's emails, written to the outbox in the caller's transaction.

Invitations are an admin's act, not a stranger's: they are not held back by the per-recipient
guard of sign-up mail (domain.accounts.mailing), which would silently drop an invitation sent a
minute after an activation mail. What bounds them instead is the per-inviter rate limit
(``settings.rate_limit_invitation``).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Invitation, Organization, User
from domain.accounts.mailing import send_activation
from domain.enums import Role
from mail import outbox
from mail.catalog import InvitationMail, InvitationOfferMail
from settings import Settings


def display_name(user: User) -> str:
    name = f"{user.first_name} {user.last_name}".strip()
    return name or user.email


async def mail_invitation(
    session: AsyncSession,
    settings: Settings,
    *,
    invitee: User,
    inviter: User,
    organization: Organization,
    invitation: Invitation,
    greeting: str,
    code_key: bytes,
) -> None:
    """To an account an invitation made: a new link and code (the account's earlier ones die),
    bound to ``invitation`` — activating through it accepts that invitation and no other
    (domain.members.acceptance). The code lives as long as the invitation. ``greeting`` is the
    first name the inviter typed: it greets, it is never stored as the invitee's name."""
    await send_activation(
        session,
        settings,
        user=invitee,
        code_key=code_key,
        organization_name=organization.name,
        compose=lambda link: InvitationMail(
            first_name=greeting,
            organization_name=organization.name,
            inviter_name=display_name(inviter),
            role=invitation.role.value,
            activation_url=link.activation_url,
            code=link.code,
            expires_in=link.expires_in,
        ),
        guarded=False,
        ttl_seconds=settings.invitation_ttl_seconds,
        invitation_id=invitation.id,
    )


async def mail_offer(
    session: AsyncSession,
    settings: Settings,
    *,
    invitee: User,
    inviter: User,
    organization: Organization,
    role: Role,
) -> None:
    """To an existing account: sign in, then accept or decline (nothing happened yet)."""
    await outbox.enqueue(
        session,
        mail=InvitationOfferMail(
            first_name=invitee.first_name or "there",
            organization_name=organization.name,
            inviter_name=display_name(inviter),
            inviter_email=inviter.email,
            role=role.value,
        ),
        to=invitee.email,
        public_url=settings.public_url,
    )
