from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin


class MailOptOut(CreatedAtMixin, Base):
    """A person who asked not to get one kind of optional mail (``topic``), e.g. an internal
    admin's "a new partner request arrived". No row: the mail is sent (opt-out, not opt-in)."""

    __tablename__ = "mail_opt_out"

    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), primary_key=True
    )
    topic: Mapped[str] = mapped_column(String(40), primary_key=True)
