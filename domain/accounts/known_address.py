"""Someone used a known address in a form: tell its owner, not the form.

Sign-up, partner join and resend answer ``accepted`` whatever the address (SECURITY.md
"enumeration"); the mailbox learns the truth. A pending account gets a new activation link (the
old one dies), an active or disabled one an "already registered" notice pointing to sign-in and
password reset. The mail guard silently caps it per recipient, and whether it sends, holds back,
or there is nobody to tell, ``rehearsal.mail_alike`` makes every path the same statements.
"""

from __future__ import annotations

import uuid
from collections.abc import Awaitable, Callable
from typing import TYPE_CHECKING

from db.models import Invitation, Organization, User
from domain.accounts import repository
from domain.accounts.mailing import send_activation, send_mail
from domain.accounts.rehearsal import mail_alike, rehearse, stand_in_user
from domain.accounts.tokens import issue_token
from domain.audit.service import record
from domain.context import RequestMeta
from domain.dependencies import MailDeps
from domain.enums import TokenPurpose, UserStatus
from domain.members import repository as members_repo
from domain.members.mailing import display_name
from kit.clock import utcnow
from mail.catalog import AlreadyRegisteredMail, InvitationMail

if TYPE_CHECKING:
    from sqlalchemy.ext.asyncio import AsyncSession


async def tell_owner(
    session: AsyncSession,
    deps: MailDeps,
    user: User | None,
    meta: RequestMeta,
    *,
    action: str,
    rehearse_also: Callable[[User], Awaitable[object]] | None = None,
) -> None:
    """Mail ``user`` what their account's state calls for, and audit ``<action>.known_email``.

    ``None`` is an address nobody is told about (unknown, or disabled for a resend): a pending
    account's mail is rehearsed for a stand-in. ``rehearse_also`` runs for the stand-in too, on
    every path (a sign-up form's own writes, say)."""
    settings = deps.settings
    # Callers fetched it before opening their transaction, so this is a cache hit (see
    # domain.secrets on why a miss must not happen inside a unit of work).
    code_key = await deps.secrets.account_code_key()
    pending = user is None or user.status is UserStatus.PENDING
    # A pending account's activation mail names its organization; every path asks.
    organization_name = await repository.first_organization_name(
        session, user.id if user is not None else uuid.uuid4()
    )
    # An account only invitations made can be activated only by an invitation's link: its mail
    # is the latest live invitation's, in that invitation's words. Every path asks.
    offer = await latest_offer(session, user.id if user is not None else uuid.uuid4())

    async def issue(recipient: User) -> bool:
        if pending and organization_name is None and offer is not None:
            invitation, organization, inviter_name = offer
            await send_activation(
                session,
                settings,
                user=recipient,
                code_key=code_key,
                organization_name=organization.name,
                compose=lambda link: InvitationMail(
                    first_name="",
                    organization_name=organization.name,
                    inviter_name=inviter_name,
                    role=invitation.role.value,
                    activation_url=link.activation_url,
                    code=link.code,
                    expires_in=link.expires_in,
                ),
                ttl_seconds=max(1, int((invitation.expires_at - utcnow()).total_seconds())),
                invitation_id=invitation.id,
                guarded=False,  # mail_alike asked
            )
        elif pending:
            await send_activation(
                session,
                settings,
                user=recipient,
                code_key=code_key,
                organization_name=organization_name,
                guarded=False,  # mail_alike asked
            )
        else:
            await send_mail(
                session,
                settings,
                mail=AlreadyRegisteredMail(
                    first_name=recipient.first_name, login_url=f"{settings.public_url}/login"
                ),
                to=recipient.email,
                guarded=False,  # mail_alike asked
            )
        return True

    async def also(stand_in: User) -> None:
        if rehearse_also is not None:
            await rehearse_also(stand_in)
        if not pending:
            # A notice issues no link: what an activation mail's costs beyond it.
            await issue_token(
                session,
                user_id=stand_in.id,
                purpose=TokenPurpose.ACTIVATION,
                ttl_seconds=settings.activation_ttl_seconds,
                code_key=code_key,
            )

    async def audit(recipient: User, mailed: bool | None) -> None:
        await record(
            session,
            f"{action}.known_email",
            meta=meta,
            actor_email=recipient.email,
            target_type="user",
            target_id=recipient.id,
            details={"status": recipient.status.value, "mailed": bool(mailed)},
        )

    await mail_alike(
        session,
        settings,
        recipient=user,
        template="activation" if pending else "already_registered",
        issue=issue,
        audit=audit,
        rehearse_also=also,
    )


async def latest_offer(
    session: AsyncSession, user_id: uuid.UUID
) -> tuple[Invitation, Organization, str] | None:
    """The account's most recent live invitation, its organization and inviter's name."""
    offers = await members_repo.live_invitations_of_user(session, user_id, utcnow())
    if not offers:
        return None
    invitation, organization = offers[-1]
    inviter = (
        await repository.user_by_id(session, invitation.invited_by_id)
        if invitation.invited_by_id
        else None
    )
    return invitation, organization, display_name(inviter) if inviter else organization.name


async def rehearse_telling(
    session: AsyncSession,
    deps: MailDeps,
    user_id: uuid.UUID,
    *,
    with_stand_in: bool,
    rehearse_also: Callable[[], Awaitable[object]] | None = None,
) -> None:
    """What ``tell_owner`` costs beyond a new address's own work, for the new address's path:
    its organization lookup and its rolled-back savepoint, holding a stand-in with an activation
    link when the new path creates no user of its own (a partner request), and ``rehearse_also``
    (what the new path's guard held back, say)."""

    async def work() -> None:
        await repository.first_organization_name(session, user_id)
        await latest_offer(session, user_id)
        if with_stand_in:
            stand_in = await stand_in_user(session, "Rehearsal", "Rehearsal")
            await issue_token(
                session,
                user_id=stand_in.id,
                purpose=TokenPurpose.ACTIVATION,
                ttl_seconds=deps.settings.activation_ttl_seconds,
                code_key=await deps.secrets.account_code_key(),  # cached (see tell_owner)
            )
        if rehearse_also is not None:
            await rehearse_also()

    await rehearse(session, work)
