"""Settings → Webhooks: the organization's endpoints (Super Admin and Admins; the API refuses
others too), adding one (its secret shown once, on the answer to the POST, never stored by the
console), its delivery log with replay, rotating the secret, disabling and deleting.

Each GET page is one GraphQL request: its query spreads ``PageFrame`` (``ctx.framed``), and the
role is checked on that frame; a refused part (a User's endpoint list) comes back with the frame,
so the 403 page needs no second request either."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from starlette.responses import Response

from console.api.base_client import ApiError
from console.api.enums import Role
from console.api.input_types import (
    CreateWebhookEndpointInput,
    ReplayWebhookDeliveryInput,
    UpdateWebhookEndpointInput,
    WebhookEndpointIdInput,
)
from console.forms import field_errors
from console.web import Ctx, Refused, console_page, read_form

ADMINS = {Role.SUPER_ADMIN, Role.ADMIN}
FIELDS = {"url": "url", "events": "events", "description": "description"}


async def _require_admin(ctx: Ctx) -> None:
    if (await ctx.viewer()).role not in ADMINS:
        raise Refused(403)


@asynccontextmanager
async def _admins_only(ctx: Ctx) -> AsyncIterator[None]:
    """Around a page's one query: a refusal that came with the frame is answered by the role
    first (403 for everyone but Super Admins and Admins, whether or not the endpoint exists),
    else as the API said (an admin's missing endpoint: 404)."""
    try:
        yield
    except ApiError as error:
        if ctx.frame_from(error.data):
            await _require_admin(ctx)
        raise


def _endpoint_path(ctx: Ctx) -> str:
    return f"/settings/webhooks/{ctx.request.path_params['id']}"


@console_page
async def endpoint_list(ctx: Ctx) -> Response:
    async with _admins_only(ctx):
        data = await ctx.api.webhook_endpoints()
    ctx.framed(data.viewer)
    await _require_admin(ctx)
    return await ctx.render(
        "webhooks.html", title="Webhooks", endpoints=data.webhook_endpoints or []
    )


@console_page
async def new_form(ctx: Ctx) -> Response:
    data = await ctx.api.webhook_event_types()
    ctx.framed(data.viewer)
    await _require_admin(ctx)
    types = data.webhook_event_types
    kept = ctx.session.pop_form("webhook")
    values = kept.get("values", {})
    return await ctx.render(
        "webhook_new.html",
        title="Add webhook endpoint",
        types=types,
        values=values,
        chosen=set(str(values.get("events", "")).split()),
        errors=kept.get("errors", {}),
    )


@console_page
async def create(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    form = await read_form(ctx.request)
    url = str(form.get("url") or "").strip()[:2048]
    description = str(form.get("description") or "").strip()[:500]
    events = [str(e)[:64] for e in form.getlist("events")][:50]
    result = (
        await ctx.api.create_webhook_endpoint(
            CreateWebhookEndpointInput(url=url, events=events, description=description or None)
        )
    ).create_webhook_endpoint
    if result.user_errors or result.endpoint is None or result.secret is None:
        kept = {"url": url, "description": description, "events": " ".join(events)}
        ctx.keep_form("webhook", kept, field_errors(result.user_errors, FIELDS))
        return ctx.redirect("/settings/webhooks/new")
    ctx.flash("Webhook endpoint added.")
    return await ctx.render(
        "webhook_secret.html",
        title="Signing secret",
        heading="Endpoint added",
        url=result.endpoint.url,
        secret=result.secret,
        endpoint_id=result.endpoint.id,
        rotated=False,
    )


@console_page
async def endpoint_page(ctx: Ctx) -> Response:
    after = ctx.request.query_params.get("after") or None
    async with _admins_only(ctx):
        data = await ctx.api.webhook_endpoint_detail(
            id=ctx.request.path_params["id"], after=after[:200] if after else None
        )
    ctx.framed(data.viewer)
    await _require_admin(ctx)
    endpoint, deliveries = data.webhook_endpoint, data.webhook_deliveries
    if endpoint is None or deliveries is None:
        raise Refused(404)
    return await ctx.render(
        "webhook.html",
        title="Webhook endpoint",
        endpoint=endpoint,
        deliveries=[e.node for e in deliveries.edges],
        total=deliveries.total_count,
        next_cursor=deliveries.page_info.end_cursor if deliveries.page_info.has_next_page else None,
        paged=after is not None,
    )


@console_page
async def set_enabled(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    form = await read_form(ctx.request)
    enabled = form.get("enabled") == "yes"
    result = (
        await ctx.api.update_webhook_endpoint(
            UpdateWebhookEndpointInput(id=ctx.request.path_params["id"], enabled=enabled)
        )
    ).update_webhook_endpoint
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    elif enabled:
        ctx.flash("Endpoint enabled: its pending deliveries resume.")
    else:
        ctx.flash("Endpoint disabled: nothing is sent to it.")
    return ctx.redirect(_endpoint_path(ctx))


@console_page
async def rotate_confirm(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    return await ctx.render(
        "confirm.html",
        title="Rotate signing secret",
        question="Create a new signing secret for this endpoint?",
        detail="For the next 24 hours both the current and the new secret sign every delivery, "
        "so that your receiver can switch without missing an event.",
        action=f"{_endpoint_path(ctx)}/rotate",
        button="Rotate secret",
        back=_endpoint_path(ctx),
    )


@console_page
async def rotate(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    result = (
        await ctx.api.rotate_webhook_secret(
            WebhookEndpointIdInput(id=ctx.request.path_params["id"])
        )
    ).rotate_webhook_secret
    if result.user_errors or result.endpoint is None or result.secret is None:
        ctx.flash(result.user_errors[0].message if result.user_errors else "Not rotated.", "error")
        return ctx.redirect(_endpoint_path(ctx))
    ctx.flash("Signing secret rotated.")
    return await ctx.render(
        "webhook_secret.html",
        title="Signing secret",
        heading="New signing secret",
        url=result.endpoint.url,
        secret=result.secret,
        endpoint_id=result.endpoint.id,
        rotated=True,
    )


@console_page
async def delete_confirm(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    return await ctx.render(
        "confirm.html",
        title="Delete webhook endpoint",
        question="Delete this webhook endpoint?",
        detail="Nothing more is sent to it, and its delivery log is deleted with it.",
        action=f"{_endpoint_path(ctx)}/delete",
        button="Delete endpoint",
        back=_endpoint_path(ctx),
    )


@console_page
async def delete(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    result = (
        await ctx.api.delete_webhook_endpoint(
            WebhookEndpointIdInput(id=ctx.request.path_params["id"])
        )
    ).delete_webhook_endpoint
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
        return ctx.redirect(_endpoint_path(ctx))
    ctx.flash("Webhook endpoint deleted.")
    return ctx.redirect("/settings/webhooks")


@console_page
async def replay(ctx: Ctx) -> Response:
    await _require_admin(ctx)
    result = (
        await ctx.api.replay_webhook_delivery(
            ReplayWebhookDeliveryInput(id=ctx.request.path_params["delivery"])
        )
    ).replay_webhook_delivery
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("Delivery queued again: it goes out in a moment.")
    return ctx.redirect(_endpoint_path(ctx))
