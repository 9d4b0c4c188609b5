from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin
from db.enums import TokenPurpose
from db.models._columns import enum_type


class AccountToken(IdMixin, CreatedAtMixin, Base):
    """An emailed link (activation or password reset), optionally bound to a typed code.

    Only hashes are stored: SHA-256 of the 256-bit link token, HMAC of the short code.
    """

    __tablename__ = "account_token"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    purpose: Mapped[TokenPurpose] = mapped_column(enum_type(TokenPurpose))
    link_token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    code_hash: Mapped[str | None] = mapped_column(String(64))
    expires_at: Mapped[datetime]
    used_at: Mapped[datetime | None]
    # Set when a resend replaced this token: a replaced link stops working.
    superseded_at: Mapped[datetime | None]
    failed_attempts: Mapped[int] = mapped_column(default=0)
    # An invitation's activation link accepts that invitation, and only it (the email named the
    # organization and the inviter: opening it is the invitee's explicit choice). Any other
    # activation link accepts nothing (domain.accounts.activation).
    invitation_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("invitation.id", ondelete="SET NULL")
    )

    __table_args__ = (Index("ix_account_token_user_id_purpose", "user_id", "purpose"),)
