"""What the internal admin's pages share: who may see them, and the page's query arguments."""

from __future__ import annotations

from urllib.parse import urlencode

from console.api.enums import Role
from console.web import Ctx, Refused

PAGE_SIZE = 25


async def require_internal_admin(ctx: Ctx) -> None:
    """Forms the API would refuse anyway: refused before they are shown (403, in the frame)."""
    if (await ctx.viewer()).role is not Role.INTERNAL_ADMIN:
        raise Refused(403)


def query_text(ctx: Ctx, name: str, limit: int = 200) -> str:
    return (ctx.request.query_params.get(name) or "").strip()[:limit]


def kept(params: dict[str, str]) -> str:
    """The page's filters as a query string, for the pager's links."""
    return urlencode({k: v for k, v in params.items() if v})
