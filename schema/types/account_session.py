"""The viewer's own sessions (``Viewer.sessions``; domain/accounts/service.py)."""

from __future__ import annotations

from datetime import datetime

import strawberry

from domain.accounts.service import AccountSession as AccountSessionRow
from domain.accounts.service import list_sessions
from resolvers.context import context_of


@strawberry.type(
    description="One place the account is signed in: an application's sign-in (grant), with the "
    "browser it came from. `endSession` signs it out."
)
class AccountSession:
    id: strawberry.ID = strawberry.field(description="The session's id (for `endSession`).")
    client_name: str = strawberry.field(description="The application signed in (its name).")
    signed_in_at: datetime = strawberry.field(description="When the person signed in.")
    last_seen_at: datetime = strawberry.field(
        description="When the session was last used (its browser or its token renewal)."
    )
    client_address: str | None = strawberry.field(
        description="The network address of the browser it came from, when known."
    )
    user_agent: str | None = strawberry.field(
        description="The browser's user agent (device and browser), when known."
    )
    two_factor: bool = strawberry.field(description="Signed in with a second factor.")
    current: bool = strawberry.field(
        description="This is the session of the request's own token (or of its browser)."
    )

    @classmethod
    def from_row(cls, row: AccountSessionRow) -> AccountSession:
        return cls(
            id=strawberry.ID(str(row.id)),
            client_name=row.client_name,
            signed_in_at=row.signed_in_at,
            last_seen_at=row.last_seen_at,
            client_address=row.client_address,
            user_agent=row.user_agent,
            two_factor=row.two_factor,
            current=row.current,
        )


async def viewer_sessions(info: strawberry.Info) -> list[AccountSession]:
    ctx = context_of(info)
    principal = await ctx.principal()
    async with ctx.services.db.read_session() as session:
        rows = await list_sessions(session, principal)
    return [AccountSession.from_row(r) for r in rows]
