from __future__ import annotations

from sqlalchemy import String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, IdMixin, TimestampMixin
from db.enums import StepCodeStatus
from db.models._columns import enum_type


class StepPartnerCode(IdMixin, TimestampMixin, Base):
    """A code of the vendor's STEP partner programme.

    It makes at most one partner organization: ``organization.step_code_id`` is unique.
    """

    __tablename__ = "step_partner_code"

    code: Mapped[str] = mapped_column(String(64), unique=True)  # normalized: trimmed, upper case
    company: Mapped[str | None] = mapped_column(String(200))
    status: Mapped[StepCodeStatus] = mapped_column(enum_type(StepCodeStatus))
