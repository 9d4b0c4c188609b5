from __future__ import annotations

from datetime import datetime

from sqlalchemy import LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class ConsoleSession(IdMixin, CreatedAtMixin, Base):
    """The web console's server-side session (console/sessions.py).

    The cookie holds a 256-bit random token; this row is found by its SHA-256 and its ``sealed``
    payload (the person's tokens, CSRF token, working organization, flash) is AES-GCM encrypted
    with a key derived from the cookie token itself: a copy of the table opens nothing.
    """

    __tablename__ = "console_session"

    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    sealed: Mapped[bytes] = mapped_column(LargeBinary)
    last_seen_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
