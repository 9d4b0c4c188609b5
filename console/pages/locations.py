"""Locations: the list with time zones and areas; add, rename (and time zone), delete."""

from __future__ import annotations

import functools
import zoneinfo

from starlette.responses import Response

from console.api.input_types import (
    CreateAreaInput,
    CreateLocationInput,
    DeleteAreaInput,
    DeleteLocationInput,
    MoveAreaInput,
    RenameAreaInput,
    UpdateLocationInput,
)
from console.api.location_page import LocationPage, LocationPageNodeLocation
from console.forms import field_errors, values
from console.web import Ctx, Refused, console_page, read_form

FIELDS = ("name", "timeZone")


@functools.cache
def time_zones() -> list[tuple[str, str]]:
    return [(zone, zone.replace("_", " ")) for zone in sorted(zoneinfo.available_timezones())]


@console_page
async def location_list(ctx: Ctx) -> Response:
    data = await ctx.api.locations()
    ctx.framed(data.viewer)
    locations = data.viewer.working.locations.edges
    return await ctx.render(
        "locations.html", title="Locations", locations=[edge.node for edge in locations]
    )


@console_page
async def location_form(ctx: Ctx) -> Response:
    await ctx.require_manager()
    kept = ctx.session.pop_form("location_new")
    return await ctx.render(
        "location_new.html",
        title="Add location",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        zones=time_zones(),
    )


@console_page
async def location_create(ctx: Ctx) -> Response:
    await ctx.require_manager()
    form = values(await read_form(ctx.request), *FIELDS)
    result = (
        await ctx.api.create_location(
            CreateLocationInput(name=form["name"], time_zone=form["timeZone"])
        )
    ).create_location
    if result.user_errors or result.location is None:
        ctx.keep_form(
            "location_new", form, field_errors(result.user_errors, {f: f for f in FIELDS})
        )
        return ctx.redirect("/locations/new")
    ctx.flash(f"Location {result.location.name} added.")
    return ctx.redirect("/locations")


async def _location(ctx: Ctx) -> tuple[LocationPageNodeLocation, LocationPage]:
    """A location page's one query: the location (by ``node``), the frame, the other
    locations (where an area can move)."""
    data = await ctx.api.location_page(id=ctx.request.path_params["id"])
    ctx.framed(data.viewer)
    if not isinstance(data.node, LocationPageNodeLocation):
        raise Refused(404)
    return data.node, data


@console_page
async def location_page(ctx: Ctx) -> Response:
    location, data = await _location(ctx)
    kept = ctx.session.pop_form("location")
    area_form = ctx.session.pop_form("area")
    return await ctx.render(
        "location.html",
        title=location.name,
        location=location,
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        area_values=area_form.get("values", {}),
        area_errors=area_form.get("errors", {}),
        zones=time_zones(),
        destinations=[
            (edge.node.id, edge.node.name)
            for edge in data.viewer.working.locations.edges
            if edge.node.id != location.id
        ],
    )


@console_page
async def location_update(ctx: Ctx) -> Response:
    await ctx.require_manager()
    location_id = ctx.request.path_params["id"]
    form = values(await read_form(ctx.request), *FIELDS)
    result = (
        await ctx.api.update_location(
            UpdateLocationInput(id=location_id, name=form["name"], time_zone=form["timeZone"])
        )
    ).update_location
    if result.user_errors:
        ctx.keep_form("location", form, field_errors(result.user_errors, {f: f for f in FIELDS}))
    else:
        ctx.flash("Location saved.")
    return ctx.redirect(f"/locations/{location_id}")


@console_page
async def location_delete_confirm(ctx: Ctx) -> Response:
    location, _ = await _location(ctx)
    await ctx.require_manager()
    return await ctx.render(
        "confirm.html",
        title="Delete location",
        question=f"Delete the location {location.name}?",
        detail="Its areas are deleted with it. A location that still holds devices is kept.",
        action=f"/locations/{location.id}/delete",
        button="Delete location",
        back=f"/locations/{location.id}",
    )


@console_page
async def location_delete(ctx: Ctx) -> Response:
    await ctx.require_manager()
    location_id = ctx.request.path_params["id"]
    result = (await ctx.api.delete_location(DeleteLocationInput(id=location_id))).delete_location
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
        return ctx.redirect(f"/locations/{location_id}")
    ctx.flash("Location deleted.")
    return ctx.redirect("/locations")


@console_page
async def area_create(ctx: Ctx) -> Response:
    await ctx.require_manager()
    location_id = ctx.request.path_params["id"]
    form = values(await read_form(ctx.request), "areaName")
    result = (
        await ctx.api.create_area(CreateAreaInput(location_id=location_id, name=form["areaName"]))
    ).create_area
    if result.user_errors or result.area is None:
        ctx.keep_form("area", form, field_errors(result.user_errors, {"name": "areaName"}))
    else:
        ctx.flash(f"Area {result.area.name} added.")
    return ctx.redirect(f"/locations/{location_id}")


@console_page
async def area_rename(ctx: Ctx) -> Response:
    await ctx.require_manager()
    location_id, area_id = ctx.request.path_params["id"], ctx.request.path_params["area"]
    form = values(await read_form(ctx.request), "name")
    result = (await ctx.api.rename_area(RenameAreaInput(id=area_id, name=form["name"]))).rename_area
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash(f"Area renamed to {form['name']}.")
    return ctx.redirect(f"/locations/{location_id}")


@console_page
async def area_delete_confirm(ctx: Ctx) -> Response:
    location, _ = await _location(ctx)
    await ctx.require_manager()
    area_id = ctx.request.path_params["area"]
    area = next((a.node for a in location.areas.edges if a.node.id == area_id), None)
    if area is None:
        raise Refused(404)
    return await ctx.render(
        "confirm.html",
        title="Delete area",
        question=f"Delete the area {area.name} of {location.name}?",
        detail="An area that still holds devices is kept: move them first.",
        action=f"/locations/{location.id}/areas/{area.id}/delete",
        button="Delete area",
        back=f"/locations/{location.id}",
    )


@console_page
async def area_delete(ctx: Ctx) -> Response:
    await ctx.require_manager()
    location_id, area_id = ctx.request.path_params["id"], ctx.request.path_params["area"]
    result = (await ctx.api.delete_area(DeleteAreaInput(id=area_id))).delete_area
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("Area deleted.")
    return ctx.redirect(f"/locations/{location_id}")


@console_page
async def area_move(ctx: Ctx) -> Response:
    await ctx.require_manager()
    location_id, area_id = ctx.request.path_params["id"], ctx.request.path_params["area"]
    form = values(await read_form(ctx.request), "locationId")
    if not form["locationId"]:
        ctx.flash("Choose the location to move the area to.", "error")
        return ctx.redirect(f"/locations/{location_id}")
    result = (
        await ctx.api.move_area(MoveAreaInput(id=area_id, location_id=form["locationId"]))
    ).move_area
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
        return ctx.redirect(f"/locations/{location_id}")
    ctx.flash("Area moved, with its devices.")
    return ctx.redirect(f"/locations/{form['locationId']}")
