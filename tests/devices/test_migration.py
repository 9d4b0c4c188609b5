"""Migration 0007_devices on a database that already holds locations, areas and devices: nothing
is lost (no table rebuild cascading into referencing rows) and the new columns are backfilled."""

from __future__ import annotations

import sqlalchemy as sa

from db.types import UTCDateTime
from kit.clock import utcnow
from kit.ids import uuid7
from tests.support.migrations import just_before, organization, upgraded

DEVICES_REVISION = "0007_devices"

location = sa.table(
    "location",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("time_zone", sa.String()),
    sa.column("is_default", sa.Boolean()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
area = sa.table(
    "area",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("location_id", sa.Uuid()),
    sa.column("name", sa.String()),
    sa.column("is_default", sa.Boolean()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
device = sa.table(
    "device",
    sa.column("id", sa.Uuid()),
    sa.column("organization_id", sa.Uuid()),
    sa.column("location_id", sa.Uuid()),
    sa.column("area_id", sa.Uuid()),
    sa.column("kind", sa.String()),
    sa.column("serial_number", sa.String()),
    sa.column("mac_address", sa.String()),
    sa.column("model", sa.String()),
    sa.column("name", sa.String()),
    sa.column("status", sa.String()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)


async def test_upgrade_keeps_and_backfills_existing_rows(database_url: str) -> None:
    now = utcnow()
    org_id, location_id, area_id, device_id = uuid7(), uuid7(), uuid7(), uuid7()
    async with just_before(database_url, DEVICES_REVISION) as connection:
        stamps = {"created_at": now, "updated_at": now}
        await connection.execute(
            organization.insert().values(
                id=org_id,
                type="CUSTOMER",
                status="ACTIVE",
                name="Old Org",
                country="DE",
                require_mfa=False,
                **stamps,
            )
        )
        await connection.execute(
            location.insert().values(
                id=location_id,
                organization_id=org_id,
                name="Main Location",
                time_zone="Europe/Berlin",
                is_default=True,
                **stamps,
            )
        )
        await connection.execute(
            area.insert().values(
                id=area_id,
                organization_id=org_id,
                location_id=location_id,
                name="Default Area",
                is_default=True,
                **stamps,
            )
        )
        await connection.execute(
            device.insert().values(
                id=device_id,
                organization_id=org_id,
                location_id=location_id,
                area_id=area_id,
                kind="CAMERA",
                serial_number="OLD-0001",
                mac_address="02:00:00:00:00:01",
                model="XNV",
                name="Gate",
                status="ONLINE",
                **stamps,
            )
        )

    async with upgraded(database_url) as connection:
        name_keys = (
            await connection.execute(
                sa.text(
                    "SELECT l.name_key, a.name_key FROM location l JOIN area a "
                    "ON a.location_id = l.id"
                )
            )
        ).all()
        assert [tuple(r) for r in name_keys] == [("main location", "default area")]
        search = (await connection.execute(sa.text("SELECT search_text FROM device"))).all()
        assert [r[0] for r in search] == ["gate old-0001 02:00:00:00:00:01 020000000001 xnv"]
