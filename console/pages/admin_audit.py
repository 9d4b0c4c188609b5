"""Internal admins: the vendor-wide audit log (every organization's events, and those of none:
sign-ins, partner requests), newest first, filtered by organization, person, action and period."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta

from starlette.responses import Response

from console.pages.admin_common import PAGE_SIZE, kept, query_text, require_internal_admin
from console.web import Ctx, console_page

_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


def _day(text: str) -> date | None:
    try:
        return date.fromisoformat(text)
    except ValueError:
        return None


@console_page
async def audit_log(ctx: Ctx) -> Response:
    chosen = {
        "organization": query_text(ctx, "organization", 36),
        "person": query_text(ctx, "person", 36),
        "person_email": query_text(ctx, "person_email", 320),
        "action": query_text(ctx, "action", 64),
        "from": query_text(ctx, "from", 10),
        "to": query_text(ctx, "to", 10),
    }
    errors: dict[str, str] = {}
    for name in ("organization", "person"):
        if chosen[name] and not _UUID.fullmatch(chosen[name]):
            errors[name] = "Not an id: copy it from the organization's page."
    since, until = _day(chosen["from"]), _day(chosen["to"])
    for name, day in (("from", since), ("to", until)):
        if chosen[name] and day is None:
            errors[name] = "Enter a date as YYYY-MM-DD."
    if since and until and until < since:
        errors["to"] = "The end comes before the start."
    after = query_text(ctx, "after") or None
    events, next_cursor = [], None
    if not errors:  # else the page shows the errors, and asks only its frame
        data = await ctx.api.vendor_audit_log(
            first=PAGE_SIZE,
            after=after,
            organization_id=chosen["organization"] or None,
            actor_id=chosen["person"] or None,
            action=chosen["action"] or None,
            since=datetime.combine(since, datetime.min.time(), UTC) if since else None,
            until=datetime.combine(until + timedelta(days=1), datetime.min.time(), UTC)
            if until
            else None,
        )
        ctx.framed(data.viewer)
        found = data.audit_events
        events = [edge.node for edge in found.edges]
        next_cursor = found.page_info.end_cursor if found.page_info.has_next_page else None
    await require_internal_admin(ctx)
    return await ctx.render(
        "admin_audit_log.html",
        title="Audit log",
        events=events,
        chosen=chosen,
        errors=errors,
        narrowed=any(chosen.values()),
        kept_query=kept(chosen),
        next_cursor=next_cursor,
        paged=after is not None,
    )
