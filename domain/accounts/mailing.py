"""Account emails: the activation link with its code, and the mail-bombing guard.

The guard (SECURITY.md: per recipient at most 1 activation/reset mail a minute and 5 a day, each
kind with its own budget) counts in the outbox itself, so every process sees the same numbers and
a rolled-back change counts nothing. It is silent: a suppressed mail changes nothing in the answer, which is the same
``accepted`` whether or not the address is known.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import User
from domain.accounts.tokens import IssuedToken, activation_url, issue_token
from domain.enums import TokenPurpose
from mail import outbox
from mail.catalog import ActivationMail, Mail
from mail.messages import human_duration
from settings import Settings


async def may_mail(session: AsyncSession, to: str, settings: Settings, template: str) -> bool:
    """Whether one more unsolicited ``template`` mail to ``to`` stays within its per-recipient
    budget (the outbox's guard, exact across processes; see ``mail.outbox.allow_to_recipient``)."""
    return await outbox.allow_to_recipient(
        session,
        to,
        templates=outbox.budget_of(template),
        per_minute=settings.mail_per_recipient_per_minute,
        per_day=settings.mail_per_recipient_per_day,
    )


async def send_mail(
    session: AsyncSession,
    settings: Settings,
    *,
    mail: Mail,
    to: str,
    guarded: bool = True,
) -> bool:
    """Queue one email in the caller's transaction; False when the guard held it back."""
    if guarded and not await may_mail(session, to, settings, mail.template):
        return False
    await outbox.enqueue(session, mail=mail, to=to, public_url=settings.public_url)
    return True


@dataclass(frozen=True, slots=True)
class ActivationLink:
    """What an activation mail carries of a freshly issued link and code."""

    activation_url: str
    code: str
    expires_in: str


async def send_activation(
    session: AsyncSession,
    settings: Settings,
    *,
    user: User,
    code_key: bytes,
    organization_name: str | None,
    compose: Callable[[ActivationLink], Mail] | None = None,
    guarded: bool = True,
    ttl_seconds: int | None = None,
    invitation_id: uuid.UUID | None = None,
) -> IssuedToken | None:
    """Issue a new activation link and code for ``user`` and mail them: the ``activation`` mail,
    or the one ``compose`` makes of the link (an invitation, an approved partner request).

    The earlier link dies with it. When the guard holds the mail back nothing is issued, so the
    link already in the mailbox keeps working. Admin actions (approval, create-admin) pass
    ``guarded=False``: they are not a stranger's doing and must not be lost. ``ttl_seconds``
    overrides the code's lifetime (an invitation's code lives as long as the invitation);
    ``invitation_id`` binds the link to the invitation it accepts (domain.members.acceptance).
    """
    ttl = ttl_seconds or settings.activation_ttl_seconds
    if guarded and not await may_mail(session, user.email, settings, ActivationMail.template):
        return None
    issued = await issue_token(
        session,
        user_id=user.id,
        purpose=TokenPurpose.ACTIVATION,
        ttl_seconds=ttl,
        code_key=code_key,
        invitation_id=invitation_id,
    )
    link = ActivationLink(
        activation_url=activation_url(settings.public_url, issued.link_token),
        code=issued.code,
        expires_in=human_duration(ttl),
    )
    mail: Mail
    if compose is None:
        mail = ActivationMail(
            first_name=user.first_name,
            organization_name=organization_name,
            activation_url=link.activation_url,
            code=link.code,
            expires_in=link.expires_in,
        )
    else:
        mail = compose(link)
    await outbox.enqueue(session, mail=mail, to=user.email, public_url=settings.public_url)
    return issued
