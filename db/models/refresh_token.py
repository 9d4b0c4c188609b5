from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class RefreshToken(IdMixin, CreatedAtMixin, Base):
    """One link of a rotating refresh-token family.

    Every use rotates (``rotated_at`` set, a child issued with the same ``family_id``); presenting a
    rotated-out token revokes the whole family, except within the reuse grace window
    (identity/oauth/store.consume_refresh_token). ``expires_at`` is the family's absolute end.
    """

    __tablename__ = "refresh_token"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    family_id: Mapped[uuid.UUID] = mapped_column(index=True)
    parent_id: Mapped[uuid.UUID | None]
    authorization_code_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    client_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(500))
    auth_time: Mapped[datetime]
    amr: Mapped[str | None] = mapped_column(String(100))
    browser_session_id: Mapped[uuid.UUID | None]
    expires_at: Mapped[datetime]
    rotated_at: Mapped[datetime | None]
    revoked_at: Mapped[datetime | None]
