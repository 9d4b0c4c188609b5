from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin


class Product(IdMixin, TimestampMixin, Base):
    """One of the vendor's apps (an app tile), unlocked by a license for it."""

    __tablename__ = "product"

    key: Mapped[str] = mapped_column(String(40), unique=True)  # e.g. HEALTHPRO
    name: Mapped[str] = mapped_column(String(100))
    description: Mapped[str] = mapped_column(String(500))
    link: Mapped[str] = mapped_column(String(500))
    icon: Mapped[str] = mapped_column(String(200))
    sort_order: Mapped[int] = mapped_column(default=0)
