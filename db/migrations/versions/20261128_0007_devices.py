"""locations, areas and devices: case-insensitive name keys, one default area, device search

Revision ID: 0007_devices
Revises: 0006_members
Create Date: 2026-11-27 05:55:02.807012

No batch mode here: on SQLite a batch operation rebuilds the table (copy, DROP, rename), and
dropping ``location`` or ``area`` or ``device`` with foreign keys enforced would cascade into the
rows that reference them. Everything below is an ALTER that SQLite does in place.
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op


revision: str = '0007_devices'
down_revision: str | None = '0006_members'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _add_required(table: str, column: str, type_: sa.types.TypeEngine, backfill: str) -> None:
    """A new NOT NULL column on a table that may hold rows: added, backfilled, tightened."""
    if op.get_bind().dialect.name == "sqlite":
        # SQLite adds a NOT NULL column in place only with a default (the backfill replaces it).
        op.add_column(table, sa.Column(column, type_, nullable=False, server_default=""))
        op.execute(backfill)
    else:
        op.add_column(table, sa.Column(column, type_, nullable=True))
        op.execute(backfill)
        op.alter_column(table, column, existing_type=type_, nullable=False)


def _drop(table: str, column: str) -> None:
    if op.get_bind().dialect.name == "sqlite":
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")  # SQLite >= 3.35, in place
    else:
        op.drop_column(table, column)


def upgrade() -> None:
    # The backfill folds with lower(); the application writes kit.text.fold from now on.
    for table in ('location', 'area'):
        _add_required(table, 'name_key', sa.String(length=600), f"UPDATE {table} SET name_key = lower(name)")
    _add_required(
        'device',
        'search_text',
        sa.String(length=1000),
        "UPDATE device SET search_text = lower(name || ' ' || serial_number || ' ' || mac_address"
        " || ' ' || replace(mac_address, ':', '') || ' ' || model)",
    )
    op.create_index('ix_device_organization_id_kind_id', 'device', ['organization_id', 'kind', 'id'], unique=False)
    op.create_index('uq_area_location_id_name_key', 'area', ['location_id', 'name_key'], unique=True)
    op.create_index('uq_area_one_default', 'area', ['organization_id'], unique=True, sqlite_where=sa.text('is_default = 1'), postgresql_where=sa.text('is_default'))
    op.create_index('uq_location_organization_id_name_key', 'location', ['organization_id', 'name_key'], unique=True)


def downgrade() -> None:
    op.drop_index('uq_location_organization_id_name_key', table_name='location')
    op.drop_index('uq_area_one_default', table_name='area', sqlite_where=sa.text('is_default = 1'), postgresql_where=sa.text('is_default'))
    op.drop_index('uq_area_location_id_name_key', table_name='area')
    op.drop_index('ix_device_organization_id_kind_id', table_name='device')
    _drop('device', 'search_text')
    _drop('area', 'name_key')
    _drop('location', 'name_key')
