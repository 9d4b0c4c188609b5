from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class ServerSecret(IdMixin, CreatedAtMixin, Base):
    """A random server-side key, made on first use and shared by every process (domain.secrets).

    It keys the HMAC of short human codes (activation codes): the code alone is worthless without
    the 256-bit link token it is bound to, whose SHA-256 is all the database keeps, so keeping the
    key next to the data costs little and needs no configuration.
    """

    __tablename__ = "server_secret"

    name: Mapped[str] = mapped_column(String(64), unique=True)
    value_hex: Mapped[str] = mapped_column(String(128))
