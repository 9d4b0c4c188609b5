"""The audit event and the owner's mail that every passkey registration, use, removal and
refused copy leaves behind — in the caller's transaction, so both or neither."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from db.models import Passkey, User
from domain.audit.service import record
from domain.context import RequestMeta
from mail import outbox
from mail.catalog import PasskeyNoticeMail

ACCOUNT_PATH = "/account#passkeys"


async def audit(
    session: AsyncSession,
    action: str,
    *,
    user_id: uuid.UUID | None,
    email: str | None,
    meta: RequestMeta,
    details: dict[str, Any],
) -> None:
    """``passkey.*``: the account is actor and target (no organization: an account may be in
    several; internal admins read them)."""
    await record(
        session,
        action,
        meta=meta,
        actor_user_id=user_id,
        actor_email=email,
        target_type="user" if user_id is not None else None,
        target_id=user_id,
        details=details,
    )


async def notify(
    session: AsyncSession,
    user: User,
    passkey: Passkey,
    event: str,
    now: datetime,
    *,
    public_url: str,
) -> None:
    await outbox.enqueue(
        session,
        mail=PasskeyNoticeMail(
            first_name=user.first_name,
            event=event,
            passkey_name=passkey.name,
            occurred_at=now,
            account_url=f"{public_url}{ACCOUNT_PATH}",
        ),
        to=user.email,
        public_url=public_url,
    )


def passkey_details(passkey: Passkey) -> dict[str, Any]:
    return {
        "passkey_id": str(passkey.id),
        "name": passkey.name,
        "backup_eligible": passkey.backup_eligible,
        "backed_up": passkey.backed_up,
    }
