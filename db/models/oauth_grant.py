from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from db.base import Base, CreatedAtMixin, IdMixin


class OAuthGrant(IdMixin, CreatedAtMixin, Base):
    """One authorization: what a redeemed authorization code started.

    Every token issued from it carries its id: access tokens as ``sid``, refresh tokens as their
    ``family_id``. Revoking the grant (a revoked access or refresh token, a replayed code or
    refresh token, RP-initiated logout) ends every token of it at once: GraphQL checks
    ``revoked_at`` with the user row in one query per request.
    """

    __tablename__ = "oauth_grant"

    client_id: Mapped[str] = mapped_column(String(64))
    user_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("user_account.id", ondelete="CASCADE"), index=True
    )
    scope: Mapped[str] = mapped_column(String(500))
    authorization_code_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    # The hosted-page session the user logged in with; logout revokes its grants.
    browser_session_id: Mapped[uuid.UUID | None] = mapped_column(index=True)
    auth_time: Mapped[datetime]
    amr: Mapped[str | None] = mapped_column(String(100))
    # The user's security stamp at login: a password reset or disable ends the grant.
    security_stamp: Mapped[int] = mapped_column(default=0)
    # Absolute end of the grant and of its refresh-token family.
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]
