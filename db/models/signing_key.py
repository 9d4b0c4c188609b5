from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class SigningKey(IdMixin, CreatedAtMixin, Base):
    """An RS256 key pair. The newest unretired key signs; every unexpired key is in the JWKS."""

    __tablename__ = "signing_key"

    kid: Mapped[str] = mapped_column(String(64), unique=True)
    algorithm: Mapped[str] = mapped_column(String(16))
    private_pem: Mapped[str] = mapped_column(Text)
    public_jwk: Mapped[dict[str, Any]] = mapped_column(JSON)
    # No longer used to sign (a newer key took over) ...
    retired_at: Mapped[datetime | None]
    # ... and no longer published once every token it signed has expired.
    expires_at: Mapped[datetime | None]
