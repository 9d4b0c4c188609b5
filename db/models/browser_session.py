from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class BrowserSession(IdMixin, CreatedAtMixin, Base):
    """The hosted pages' server-side session; the cookie holds a random token, we keep its hash."""

    __tablename__ = "browser_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    # The user's security stamp at login; a different stamp now means "log in again".
    security_stamp: Mapped[int | None]
    authenticated_at: Mapped[datetime | None]
    amr: Mapped[str | None] = mapped_column(String(100))
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    client_address: Mapped[str | None] = mapped_column(String(64))
    user_agent: Mapped[str | None] = mapped_column(String(500))
    # Short-lived state between pages (a pending second factor, an authorization request).
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
