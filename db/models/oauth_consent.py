from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin


class OAuthConsent(IdMixin, TimestampMixin, Base):
    """The scopes a user allowed a third-party client; asked again only for new scopes."""

    __tablename__ = "oauth_consent"

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("user_account.id", ondelete="CASCADE"))
    client_id: Mapped[str] = mapped_column(String(64))
    scope: Mapped[str] = mapped_column(String(500))

    __table_args__ = (UniqueConstraint("user_id", "client_id"),)
