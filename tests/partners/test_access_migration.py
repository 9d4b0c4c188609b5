"""Migration 0012_partner_access on a database that already holds a partner mapping with a
technician: the mapping gets the default grant (every power, one year from the upgrade), and
nothing that references the mapping is lost (no table rebuild cascading into it)."""

from __future__ import annotations

from datetime import timedelta

import sqlalchemy as sa

from db.types import UTCDateTime
from kit.clock import utcnow
from kit.ids import uuid7
from tests.support.migrations import just_before, organization, upgraded

REVISION = "0012_partner_access"

user_account = sa.table(
    "user_account",
    sa.column("id", sa.Uuid()),
    sa.column("email", sa.String()),
    sa.column("first_name", sa.String()),
    sa.column("last_name", sa.String()),
    sa.column("status", sa.String()),
    sa.column("activation_failures", sa.Integer()),
    sa.column("login_failures", sa.Integer()),
    sa.column("security_stamp", sa.Integer()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
partner_mapping = sa.table(
    "partner_mapping",
    sa.column("id", sa.Uuid()),
    sa.column("partner_organization_id", sa.Uuid()),
    sa.column("customer_organization_id", sa.Uuid()),
    sa.column("status", sa.String()),
    sa.column("accepted_at", UTCDateTime()),
    sa.column("created_at", UTCDateTime()),
    sa.column("updated_at", UTCDateTime()),
)
technician_assignment = sa.table(
    "technician_assignment",
    sa.column("id", sa.Uuid()),
    sa.column("mapping_id", sa.Uuid()),
    sa.column("user_id", sa.Uuid()),
    sa.column("created_at", UTCDateTime()),
)


async def test_existing_mappings_get_the_default_grant(database_url: str) -> None:
    now = utcnow()
    partner_id, customer_id, user_id, mapping_id = uuid7(), uuid7(), uuid7(), uuid7()
    stamps = {"created_at": now, "updated_at": now}
    async with just_before(database_url, REVISION) as connection:
        for org_id, kind in ((partner_id, "PARTNER"), (customer_id, "CUSTOMER")):
            await connection.execute(
                organization.insert().values(
                    id=org_id,
                    type=kind,
                    status="ACTIVE",
                    name=f"Old {kind}",
                    country="DE",
                    require_mfa=False,
                    **stamps,
                )
            )
        await connection.execute(
            user_account.insert().values(
                id=user_id,
                email="old-technician@example.test",
                first_name="Old",
                last_name="Technician",
                status="ACTIVE",
                activation_failures=0,
                login_failures=0,
                security_stamp=0,
                **stamps,
            )
        )
        await connection.execute(
            partner_mapping.insert().values(
                id=mapping_id,
                partner_organization_id=partner_id,
                customer_organization_id=customer_id,
                status="ACTIVE",
                accepted_at=now,
                **stamps,
            )
        )
        await connection.execute(
            technician_assignment.insert().values(
                id=uuid7(), mapping_id=mapping_id, user_id=user_id, created_at=now
            )
        )

    async with upgraded(database_url) as connection:
        grant = (
            await connection.execute(
                sa.select(
                    sa.column("access_scope"),
                    sa.column("access_expires_at", UTCDateTime()),
                    sa.column("access_notice"),
                ).select_from(sa.table("partner_mapping"))
            )
        ).one()
        assigned = await connection.scalar(
            sa.select(sa.func.count()).select_from(technician_assignment)
        )
    assert grant.access_scope == "DEVICES_LICENSES_USERS"
    assert grant.access_notice == "NONE"
    assert abs(grant.access_expires_at - (now + timedelta(days=365))) < timedelta(minutes=5)
    assert assigned == 1
