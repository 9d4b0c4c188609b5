"""licenses: the app catalog (seeded) and one current license per product per device

Revision ID: 0002_licenses
Revises: 0001
Create Date: 2026-11-28 09:00:00
"""

import uuid
from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql, sqlite

import db.types

revision: str = '0002_licenses'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# The vendor's apps. Fixed ids and keys: the seed is the same row everywhere, and inserting it
# again (ON CONFLICT DO NOTHING) changes nothing. A later change to the catalog is a new revision.
CATALOG = [
    {
        "id": uuid.UUID("94d4b392-2889-5a04-a8ca-01159cf53d31"),
        "key": "HEALTHPRO",
        "name": "HealthPro",
        "description": (
            "Fall detection, bed-exit and wandering alerts for care homes and hospitals, "
            "with privacy masking on every camera."
        ),
        "link": "https://apps.cloud-portal.example/healthpro",
        "icon": "healthpro",
        "sort_order": 10,
    },
    {
        "id": uuid.UUID("d0cb37d4-3d52-5fcb-bd53-36ba4d2b9e19"),
        "key": "SIGHTMIND",
        "name": "SightMind",
        "description": (
            "AI video analytics: people and vehicle detection, line crossing, loitering and "
            "smart search across recorded video."
        ),
        "link": "https://apps.cloud-portal.example/sightmind",
        "icon": "sightmind",
        "sort_order": 20,
    },
    {
        "id": uuid.UUID("c1f049f8-cc77-5884-ab2e-533f0c0131e3"),
        "key": "PLATESENSE",
        "name": "PlateSense",
        "description": (
            "Licence plate recognition with allow and deny lists for gates, car parks and "
            "loading docks."
        ),
        "link": "https://apps.cloud-portal.example/platesense",
        "icon": "platesense",
        "sort_order": 30,
    },
    {
        "id": uuid.UUID("b94382cb-fc90-5c9b-9f14-88fb600088d3"),
        "key": "CROWDFLOW",
        "name": "CrowdFlow",
        "description": (
            "People counting, occupancy limits and heat maps for shops, venues and offices."
        ),
        "link": "https://apps.cloud-portal.example/crowdflow",
        "icon": "crowdflow",
        "sort_order": 40,
    },
    {
        "id": uuid.UUID("11bcbe4e-e6e8-5846-b080-f9914d2c4676"),
        "key": "VAULTARCHIVE",
        "name": "Vault Archive",
        "description": (
            "Encrypted cloud backup of recordings with retention policies and evidence export."
        ),
        "link": "https://apps.cloud-portal.example/vault-archive",
        "icon": "vaultarchive",
        "sort_order": 50,
    },
    {
        "id": uuid.UUID("22ccbc8b-2b39-50d1-8101-6e3f76bc341c"),
        "key": "GUARDWATCH",
        "name": "GuardWatch",
        "description": (
            "Remote monitoring: alarm verification with live video for monitoring centres and "
            "guard services."
        ),
        "link": "https://apps.cloud-portal.example/guardwatch",
        "icon": "guardwatch",
        "sort_order": 60,
    },
]

product = sa.table(
    "product",
    sa.column("id", sa.Uuid()),
    sa.column("key", sa.String()),
    sa.column("name", sa.String()),
    sa.column("description", sa.String()),
    sa.column("link", sa.String()),
    sa.column("icon", sa.String()),
    sa.column("sort_order", sa.Integer()),
    sa.column("created_at", db.types.UTCDateTime(timezone=True)),
    sa.column("updated_at", db.types.UTCDateTime(timezone=True)),
)

license = sa.table("license", sa.column("product_id", sa.Uuid()))


def _seed_catalog() -> None:
    bind = op.get_bind()
    seeded_at = datetime(2026, 11, 28, tzinfo=UTC)
    rows = [{**row, "created_at": seeded_at, "updated_at": seeded_at} for row in CATALOG]
    insert = postgresql.insert if bind.dialect.name == "postgresql" else sqlite.insert
    bind.execute(insert(product).values(rows).on_conflict_do_nothing(index_elements=["id"]))


def upgrade() -> None:
    _seed_catalog()

    # license_attachment.product_id: added nullable, filled from the license, then required.
    with op.batch_alter_table('license_attachment', schema=None) as batch_op:
        batch_op.add_column(sa.Column('product_id', sa.Uuid(), nullable=True))
    op.execute(
        "UPDATE license_attachment SET product_id = "
        "(SELECT license.product_id FROM license WHERE license.id = license_attachment.license_id)"
    )
    with op.batch_alter_table('license_attachment', schema=None) as batch_op:
        batch_op.alter_column('product_id', existing_type=sa.Uuid(), nullable=False)
        batch_op.create_foreign_key(
            batch_op.f('fk_license_attachment_product_id_product'), 'product', ['product_id'], ['id']
        )
        batch_op.create_index(
            'uq_license_attachment_device_product_current',
            ['device_id', 'product_id'],
            unique=True,
            sqlite_where=sa.text('detached_at IS NULL'),
            postgresql_where=sa.text('detached_at IS NULL'),
        )


def downgrade() -> None:
    with op.batch_alter_table('license_attachment', schema=None) as batch_op:
        batch_op.drop_index(
            'uq_license_attachment_device_product_current',
            sqlite_where=sa.text('detached_at IS NULL'),
            postgresql_where=sa.text('detached_at IS NULL'),
        )
        batch_op.drop_constraint(
            batch_op.f('fk_license_attachment_product_id_product'), type_='foreignkey'
        )
        batch_op.drop_column('product_id')
    # Licenses reference products: the catalog can only go when no license of it is left.
    op.execute(
        product.delete().where(
            product.c.id.in_([row["id"] for row in CATALOG]),
            ~sa.exists().where(license.c.product_id == product.c.id),
        )
    )
