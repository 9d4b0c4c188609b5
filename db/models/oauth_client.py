from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin


class OAuthClient(IdMixin, TimestampMixin, Base):
    """A registered OIDC relying party."""

    __tablename__ = "oauth_client"

    client_id: Mapped[str] = mapped_column(String(64), unique=True)
    # SHA-256 of the secret (a 256-bit random value); null for public clients.
    client_secret_hash: Mapped[str | None] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    redirect_uris: Mapped[list[str]] = mapped_column(JSON)
    post_logout_redirect_uris: Mapped[list[str]] = mapped_column(JSON, default=list)
    public: Mapped[bool] = mapped_column(default=False)
    # First-party clients (made by the operator's CLI) skip the consent screen.
    first_party: Mapped[bool] = mapped_column(default=True)
    scope: Mapped[str] = mapped_column(String(500), default="openid profile email offline_access")
    disabled_at: Mapped[datetime | None]
