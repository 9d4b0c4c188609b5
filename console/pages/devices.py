"""Devices: the paginated, searchable table; register, rename, move, remove."""

from __future__ import annotations

from urllib.parse import urlencode

from starlette.responses import Response

from console.api.device_page import DevicePage, DevicePageNodeDevice
from console.api.enums import DeviceKind, DeviceStatus
from console.api.fragments import PlaceOptions
from console.api.input_types import (
    AttachLicenseInput,
    DetachLicenseInput,
    DeviceFilter,
    MoveDeviceInput,
    RegisterDeviceInput,
    RemoveDeviceInput,
    RenameDeviceInput,
)
from console.forms import field_errors, values
from console.web import Ctx, Refused, console_page, read_form

PAGE_SIZE = 25
PAGE_SIZES = {"25": 25, "50": 50, "100": 100}
REGISTER_FIELDS = ("serialNumber", "macAddress", "model", "name", "kind", "areaId")
KINDS = [("CAMERA", "Camera"), ("RECORDER", "Recorder")]
STATUSES = [("PENDING", "Pending"), ("ONLINE", "Online"), ("OFFLINE", "Offline")]


@console_page
async def device_list(ctx: Ctx) -> Response:
    query = ctx.request.query_params
    search = (query.get("q") or "").strip()[:100] or None
    after = (query.get("after") or "")[:200] or None
    chosen = {name: (query.get(name) or "")[:100] for name in ("location", "area", "status")}
    status = chosen["status"] if chosen["status"] in DeviceStatus.__members__ else ""
    chosen["status"] = status
    filtered = DeviceFilter(
        location_id=chosen["location"] or None,
        area_id=chosen["area"] or None,
        status=DeviceStatus(status) if status else None,
    )
    size = PAGE_SIZES.get(query.get("size") or "", PAGE_SIZE)
    data = await ctx.api.devices(first=size, after=after, search=search, filter_=filtered)
    ctx.framed(data.viewer)
    devices = data.viewer.working.devices
    locations = [edge.node for edge in data.viewer.working.locations.edges]
    keep = {"q": search or "", **chosen, "size": str(size) if size != PAGE_SIZE else ""}
    return await ctx.render(
        "devices.html",
        title="Devices",
        devices=[edge.node for edge in devices.edges],
        total=devices.total_count,
        search=search or "",
        chosen=chosen,
        narrowed=bool(search or any(chosen.values())),
        kept_query=urlencode({k: v for k, v in keep.items() if v}),
        location_options=[(loc.id, loc.name) for loc in locations],
        area_options=[
            (area.node.id, f"{loc.name} · {area.node.name}")
            for loc in locations
            for area in loc.areas.edges
        ],
        status_options=STATUSES,
        next_cursor=devices.page_info.end_cursor if devices.page_info.has_next_page else None,
        paged=after is not None,
    )


def _area_options(places: PlaceOptions) -> list[tuple[str, str]]:
    return [
        (area.node.id, f"{loc.node.name} · {area.node.name}")
        for loc in places.locations.edges
        for area in loc.node.areas.edges
    ]


@console_page
async def register_form(ctx: Ctx) -> Response:
    data = await ctx.api.register_device_page()
    ctx.framed(data.viewer)
    await ctx.require_manager()
    kept = ctx.session.pop_form("register")
    return await ctx.render(
        "device_new.html",
        title="Register device",
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        areas=_area_options(data.viewer.working),
        kinds=KINDS,
    )


@console_page
async def register_submit(ctx: Ctx) -> Response:
    await ctx.require_manager()
    form = values(await read_form(ctx.request), *REGISTER_FIELDS)
    kind = form["kind"] if form["kind"] in DeviceKind.__members__ else None
    if kind is None:
        ctx.keep_form("register", form, {"kind": "Choose the type of device."})
        return ctx.redirect("/devices/new")
    result = (
        await ctx.api.register_device(
            RegisterDeviceInput(
                kind=DeviceKind(kind),
                serial_number=form["serialNumber"],
                mac_address=form["macAddress"],
                model=form["model"],
                name=form["name"] or None,
                area_id=form["areaId"] or None,
            )
        )
    ).register_device
    if result.user_errors or result.device is None:
        errors = field_errors(result.user_errors, {f: f for f in REGISTER_FIELDS})
        ctx.keep_form("register", form, errors)
        return ctx.redirect("/devices/new")
    ctx.flash(f"Device {result.device.serial_number} registered.")
    return ctx.redirect("/devices")


async def _device(ctx: Ctx) -> tuple[DevicePageNodeDevice, DevicePage]:
    """The device page's one query: the device (by ``node``), the frame, and what its forms
    offer (areas, attachable licenses)."""
    data = await ctx.api.device_page(id=ctx.request.path_params["id"])
    ctx.framed(data.viewer)
    if not isinstance(data.node, DevicePageNodeDevice):
        raise Refused(404)
    return data.node, data


@console_page
async def device_page(ctx: Ctx) -> Response:
    device, data = await _device(ctx)
    kept = ctx.session.pop_form("device")
    manage = await ctx.can_manage()
    held = {lic.id for lic in device.licenses}
    attachable = []
    if manage:
        for edge in data.viewer.working.licenses.edges:
            lic = edge.node
            if lic.id not in held and lic.seats_available > 0 and lic.status.value != "EXPIRED":
                attachable.append((lic.id, f"{lic.product.name} · {lic.key_hint}"))
    return await ctx.render(
        "device.html",
        title=device.name,
        device=device,
        values=kept.get("values", {}),
        errors=kept.get("errors", {}),
        areas=_area_options(data.viewer.working) if manage else [],
        attachable=attachable,
    )


@console_page
async def device_rename(ctx: Ctx) -> Response:
    await ctx.require_manager()
    device_id = ctx.request.path_params["id"]
    form = values(await read_form(ctx.request), "name")
    result = (
        await ctx.api.rename_device(RenameDeviceInput(id=device_id, name=form["name"]))
    ).rename_device
    if result.user_errors:
        ctx.keep_form("device", form, field_errors(result.user_errors, {"name": "name"}))
        return ctx.redirect(f"/devices/{device_id}")
    ctx.flash("Device renamed.")
    return ctx.redirect(f"/devices/{device_id}")


@console_page
async def device_move(ctx: Ctx) -> Response:
    await ctx.require_manager()
    device_id = ctx.request.path_params["id"]
    form = values(await read_form(ctx.request), "areaId")
    result = (
        await ctx.api.move_device(MoveDeviceInput(id=device_id, area_id=form["areaId"]))
    ).move_device
    if result.user_errors:
        ctx.keep_form("device", form, field_errors(result.user_errors, {"areaId": "areaId"}))
        return ctx.redirect(f"/devices/{device_id}")
    ctx.flash("Device moved.")
    return ctx.redirect(f"/devices/{device_id}")


@console_page
async def device_remove_confirm(ctx: Ctx) -> Response:
    device, _ = await _device(ctx)
    await ctx.require_manager()
    return await ctx.render(
        "confirm.html",
        title="Remove device",
        question=f"Remove {device.name} ({device.serial_number})?",
        detail="The device leaves the organization and frees its license seats.",
        action=f"/devices/{device.id}/remove",
        button="Remove device",
        back=f"/devices/{device.id}",
    )


@console_page
async def device_remove(ctx: Ctx) -> Response:
    await ctx.require_manager()
    device_id = ctx.request.path_params["id"]
    result = (await ctx.api.remove_device(RemoveDeviceInput(id=device_id))).remove_device
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
        return ctx.redirect(f"/devices/{device_id}")
    ctx.flash("Device removed.")
    return ctx.redirect("/devices")


@console_page
async def attach_license(ctx: Ctx) -> Response:
    await ctx.require_manager()
    device_id = ctx.request.path_params["id"]
    form = values(await read_form(ctx.request), "licenseId")
    if not form["licenseId"]:
        ctx.keep_form("device", form, {"licenseId": "Choose a license."})
        return ctx.redirect(f"/devices/{device_id}")
    result = (
        await ctx.api.attach_license(
            AttachLicenseInput(license_id=form["licenseId"], device_id=device_id)
        )
    ).attach_license
    if result.user_errors:
        ctx.keep_form("device", form, field_errors(result.user_errors, {"licenseId": "licenseId"}))
    else:
        ctx.flash("License attached.")
    return ctx.redirect(f"/devices/{device_id}")


@console_page
async def detach_license(ctx: Ctx) -> Response:
    await ctx.require_manager()
    device_id = ctx.request.path_params["id"]
    result = (
        await ctx.api.detach_license(
            DetachLicenseInput(license_id=ctx.request.path_params["license"], device_id=device_id)
        )
    ).detach_license
    if result.user_errors:
        ctx.flash(result.user_errors[0].message, "error")
    else:
        ctx.flash("License detached.")
    return ctx.redirect(f"/devices/{device_id}")
