"""The members area's emails, written to the outbox in the caller's transaction.

Invitations are an admin's act, not a stranger's: they are not held back by the per-recipient
guard of sign-up mail (domain.accounts.mailing), which would silently drop an invitation sent a
minute after an activation mail. What bounds them instead is the per-inviter rate limit
(``settings.rate_limit_invitation``).
"""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Organization, User
from domain.accounts.mailing import send_activation
from domain.enums import Role
from mail import outbox
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
    role: Role,
    code_key: bytes,
) -> None:
    """A new link and code (the account's earlier ones die): activating the account accepts
    every live invitation of it (domain.members.acceptance). The code lives as long as the
    invitation."""
    await send_activation(
        session,
        settings,
        user=invitee,
        code_key=code_key,
        organization_name=organization.name,
        template="invitation",
        context={"inviter_name": display_name(inviter), "role": role.value},
        guarded=False,
        ttl_seconds=settings.invitation_ttl_seconds,
    )


async def mail_joined(
    session: AsyncSession,
    settings: Settings,
    *,
    member: User,
    inviter: User,
    organization: Organization,
    role: Role,
) -> None:
    await outbox.enqueue(
        session,
        template="invitation_joined",
        to=member.email,
        context={
            # An invited account may have no name yet: "Hello there,".
            "first_name": member.first_name or "there",
            "organization_name": organization.name,
            "inviter_name": display_name(inviter),
            "role": role.value,
        },
        public_url=settings.public_url,
    )
